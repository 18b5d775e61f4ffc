package dev.gitops.webhook;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.ReadableBytes;

import java.time.Duration;

/**
 * {@code gitops.webhook.*}: the shared secret GitHub signs with, the largest body accepted (Lambda's own limit is
 * 6 MB), and how long a delivery may take before it is answered {@code accepted} and finished in the background.
 */
@ConfigurationProperties("gitops.webhook")
public class WebhookConfiguration {
    private String secret;
    @ReadableBytes
    private long maxBody = 10L * 1024 * 1024;
    private Duration syncBudget = Duration.ofSeconds(8);

    public String getSecret() {
        return secret;
    }

    public void setSecret(String secret) {
        this.secret = secret;
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
