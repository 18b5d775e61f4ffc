package dev.gitops.lock;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * {@code gitops.lock.*}: how long an execution waits for a held lock ({@code wait-timeout}, default 30 min) and how
 * often it asks again ({@code poll-interval}, default 15 s); {@code build-timeout} (default 60 min) is what one plan or
 * apply may take, from which a lock's expiry is computed (approval timeout + twice the build timeout).
 */
@ConfigurationProperties("gitops.lock")
public class LockConfiguration {
    @NotNull
    private Duration waitTimeout = Duration.ofMinutes(30);
    @NotNull
    private Duration pollInterval = Duration.ofSeconds(15);
    @NotNull
    private Duration buildTimeout = Duration.ofMinutes(60);

    /** How long a lock is held from a phase on: what is left of the approval (if any) plus twice the build timeout. */
    public Duration holdFor(Duration approvalTimeout) {
        return approvalTimeout.plus(buildTimeout.multipliedBy(2));
    }

    public Duration getWaitTimeout() {
        return waitTimeout;
    }

    public void setWaitTimeout(Duration waitTimeout) {
        this.waitTimeout = waitTimeout;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getBuildTimeout() {
        return buildTimeout;
    }

    public void setBuildTimeout(Duration buildTimeout) {
        this.buildTimeout = buildTimeout;
    }
}
