package dev.gitops.engine.asl;

import java.util.List;

/** One element of a state's Retry field, with AWS's defaults applied. */
public record Retrier(List<String> errorEquals, int intervalSeconds, int maxAttempts, double backoffRate,
                      Integer maxDelaySeconds, Jitter jitter) {
    public enum Jitter { FULL, NONE }

    /** The delay before retry number {@code attempt} (0-based), before jitter: interval * rate^attempt, capped. */
    public double baseDelaySeconds(int attempt) {
        double delay = intervalSeconds * Math.pow(backoffRate, attempt);
        if (maxDelaySeconds != null) {
            delay = Math.min(delay, maxDelaySeconds);
        }
        return delay;
    }
}
