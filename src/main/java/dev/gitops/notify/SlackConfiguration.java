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
    @Pattern(regexp = "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+", message = "gitops.slack.webhook-url-arn must be the ARN of a Secrets Manager secret")
    private String webhookUrlArn;
    @Nullable
    private String signingSecret;
    @Nullable
    @Pattern(regexp = "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+", message = "gitops.slack.signing-secret-arn must be the ARN of a Secrets Manager secret")
    private String signingSecretArn;

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

    /** {@code gitops.slack.webhook-url-arn}: the Secrets Manager secret holding the incoming webhook URL. */
    public String getWebhookUrlArn() {
        return webhookUrlArn;
    }

    public void setWebhookUrlArn(@Nullable String webhookUrlArn) {
        this.webhookUrlArn = Settings.text(webhookUrlArn);
    }

    /** {@code gitops.slack.signing-secret-arn}: the Secrets Manager secret holding the signing secret. */
    public String getSigningSecretArn() {
        return signingSecretArn;
    }

    public void setSigningSecretArn(@Nullable String signingSecretArn) {
        this.signingSecretArn = Settings.text(signingSecretArn);
    }
}
