package dev.gitops.runtime;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** {@link Background} on a pool of daemon threads: the caller goes on at once. */
@Singleton
public class PooledBackground implements Background, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PooledBackground.class);

    private final ExecutorService pool = Executors.newCachedThreadPool(Threads.daemon("background"));

    @Override
    public void run(String what, Runnable work) {
        pool.execute(() -> InlineBackground.logged(LOG, what, work));
    }

    /** Lets work already handed over finish (Slack and GitHub posts), for a few seconds at most. */
    @PreDestroy
    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
