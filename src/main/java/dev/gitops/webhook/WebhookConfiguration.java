package dev.gitops.webhook;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;
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
    @Nullable
    @Pattern(regexp = "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+", message = "gitops.webhook.secret-arn must be the ARN of a Secrets Manager secret")
    private String secretArn;
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

    /** {@code gitops.webhook.secret-arn}: the Secrets Manager secret holding the webhook secret (a value given directly wins). */
    public String getSecretArn() {
        return secretArn;
    }

    public void setSecretArn(@Nullable String secretArn) {
        this.secretArn = Settings.text(secretArn);
    }
}
