package dev.gitops.notify;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** {@code gitops.notifications.retry-backoff}: the first pause between attempts to reach Slack or GitHub (then doubled). */
@ConfigurationProperties("gitops.notifications")
public class NotificationsConfiguration {
    @NotNull
    private Duration retryBackoff = Duration.ofSeconds(1);

    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }
}
