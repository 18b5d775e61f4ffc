package dev.gitops.engine.time;

import dev.gitops.engine.threads.DaemonThreads;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Wall-clock time with a single daemon timer thread; timers only hand work to other executors. */
public final class SystemTime implements EngineTime, AutoCloseable {
    private final ScheduledExecutorService timers;

    public SystemTime() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("engine-timer"));
        executor.setRemoveOnCancelPolicy(true);
        this.timers = executor;
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Timer schedule(Instant at, Runnable task) {
        long delay = Math.max(0, Duration.between(Instant.now(), at).toNanos());
        ScheduledFuture<?> future = timers.schedule(task, delay, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
