package dev.gitops.webhook;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import java.time.Duration;

/**
 * {@code gitops.webhook.*}: the shared secret GitHub signs with, the largest body accepted (Lambda's own limit is
 * 6 MB), and how long a delivery may take before it is answered {@code accepted} and finished in the background.
 */
@ConfigurationProperties("gitops.webhook")
public class WebhookConfiguration {
    @Nullable
    private String secret;
    @ReadableBytes
    @Positive(message = "gitops.webhook.max-body must be a size such as 10MB")
    private long maxBody = 10L * 1024 * 1024;
    @NotNull
    private Duration syncBudget = Duration.ofSeconds(8);

    /** The secret; null when unset or blank (a blank secret would sign with an empty key). */
    public String getSecret() {
        return secret;
    }

    public void setSecret(@Nullable String secret) {
        this.secret = Settings.text(secret);
    }

    public long getMaxBody() {
        return maxBody;
    }

    public void setMaxBody(@ReadableBytes long maxBody) {
        this.maxBody = maxBody;
    }

    public Duration getSyncBudget() {
        return syncBudget;
    }

    public void setSyncBudget(Duration syncBudget) {
        this.syncBudget = syncBudget;
    }
}
