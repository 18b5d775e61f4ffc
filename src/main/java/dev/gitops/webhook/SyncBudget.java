package dev.gitops.webhook;

import dev.gitops.runtime.Threads;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Deliveries' work on a pool of its own (16 threads: fetches and diffs run side by side, a flood of deliveries
 * queues), and the wait for it: within {@code gitops.webhook.sync-budget} the answer is the work's, beyond it the
 * {@link Overrun}'s while the work goes on.
 */
@Singleton
class SyncBudget implements AutoCloseable {
    private static final int THREADS = 16;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS, Threads.daemon("webhook-work"));
    private final Duration budget;

    SyncBudget(WebhookConfiguration config) {
        this.budget = config.getSyncBudget();
    }

    <T> CompletableFuture<T> supply(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, pool);
    }

    ExecutorService pool() {
        return pool;
    }

    /** The work's answer, or {@code overrun}'s when the work outlasts the budget (it goes on). */
    Answer await(CompletableFuture<Answer> work, Supplier<Answer> overrun) {
        try {
            return work.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return overrun.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return overrun.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The work's answer, however long it takes (change detection has its own deadline). */
    Answer awaitFully(CompletableFuture<Answer> work) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while finishing a delivery", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @PreDestroy
    @Override
    public void close() {
        pool.shutdown();
    }
}
