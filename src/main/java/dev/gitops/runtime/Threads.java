package dev.gitops.runtime;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads ({@code <name>-1}, {@code <name>-2}, ...), so a stuck pool never keeps the JVM alive. */
public final class Threads {
    private Threads() {
    }

    public static ThreadFactory daemon(String name) {
        AtomicInteger counter = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(work, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
