package dev.gitops.engine.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for the engine's executors. Their threads are daemons, so that the engine never keeps the JVM
 * alive on its own; the process that embeds it decides when to stop.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ..., in the order they are created. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return task -> daemon(task, prefix + "-" + counter.incrementAndGet());
    }

    /** Daemon threads that all bear the same name: for an executor that keeps a single thread. */
    public static ThreadFactory named(String name) {
        return task -> daemon(task, name);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
