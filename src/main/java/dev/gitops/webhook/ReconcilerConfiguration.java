package dev.gitops.webhook;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.util.List;

/**
 * {@code gitops.reconciler.*}: the webhooks whose failed deliveries are asked for again ({@code hooks}: {@code
 * owner/repo:<hook id>} or {@code owner:<hook id>} for an organisation's), whether it runs ({@code enabled}), how often
 * locally ({@code interval}; in AWS an EventBridge schedule calls it) and how far back it looks ({@code lookback};
 * GitHub keeps deliveries for three days and redelivers them only within that time).
 */
@ConfigurationProperties("gitops.reconciler")
public class ReconcilerConfiguration {
    private boolean enabled;
    @NotNull
    private List<String> hooks = List.of();
    @NotNull(message = "gitops.reconciler.interval must be a duration such as 5m")
    private Duration interval = Duration.ofMinutes(5);
    @NotNull(message = "gitops.reconciler.lookback must be a duration such as 6h")
    private Duration lookback = Duration.ofHours(6);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getHooks() {
        return hooks;
    }

    public void setHooks(List<String> hooks) {
        this.hooks = hooks == null ? List.of() : hooks.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    public Duration getLookback() {
        return lookback;
    }

    public void setLookback(Duration lookback) {
        this.lookback = lookback;
    }
}
