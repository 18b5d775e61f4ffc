package dev.gitops.engine.time;

import java.time.Instant;

/**
 * The engine's view of time: the current instant, and timers. Injected so Retry backoff, Wait states and timeouts are
 * tested by moving a clock instead of sleeping.
 */
public interface EngineTime {
    Instant now();

    /** Runs {@code task} at {@code at} (immediately when it is already past); the returned handle cancels it. */
    Timer schedule(Instant at, Runnable task);

    /** A scheduled task that can be cancelled. */
    interface Timer {
        void cancel();
    }
}
