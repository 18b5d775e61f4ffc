package dev.gitops.notify;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;

/**
 * {@code gitops.slack.*}: the incoming webhook messages go to ({@code webhook-url}; unset, they are logged) and the
 * Slack app's signing secret that proves a button press came from Slack ({@code signing-secret}; unset, buttons decide
 * nothing).
 */
@ConfigurationProperties("gitops.slack")
public class SlackConfiguration {
    @Nullable
    @Pattern(regexp = "https?://\\S+", message = "gitops.slack.webhook-url must be an https:// URL")
    private String webhookUrl;
    @Nullable
    private String signingSecret;

    public String getWebhookUrl() {
        return webhookUrl;
    }

    public void setWebhookUrl(@Nullable String webhookUrl) {
        this.webhookUrl = Settings.text(webhookUrl);
    }

    public String getSigningSecret() {
        return signingSecret;
    }

    public void setSigningSecret(@Nullable String signingSecret) {
        this.signingSecret = Settings.text(signingSecret);
    }
}
