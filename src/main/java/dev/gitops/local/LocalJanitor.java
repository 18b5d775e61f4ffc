package dev.gitops.local;

import dev.gitops.runtime.LocalMode;
import dev.gitops.runtime.Threads;
import dev.gitops.lock.LockJanitor;
import dev.gitops.pipeline.ExecutionEnded;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Local mode's wiring of {@link ExecutionEnded}: the engine's status listener hands every ended execution to it (off
 * the engine's threads: the lock janitor, approvals, commit statuses), and the lock janitor sweeps once at startup.
 */
@Context
@LocalMode
public class LocalJanitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalJanitor.class);
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Threads.daemon("lock-janitor"));

    public LocalJanitor(LocalServices services, LocalTables tables, LockJanitor janitor, ExecutionEnded ended) {
        services.engine().addListener(change -> {
            ExecutionStatus status = ExecutionStatus.fromValue(change.status());
            if (!LockJanitor.running(status)) {
                executor.execute(() -> {
                    try {
                        var execution = services.engine().describeExecution(change.executionArn());
                        ended.handle(change.executionArn(), status, change.error(), execution.input(),
                                execution.output(), true);
                    } catch (RuntimeException e) {
                        LOG.warn("janitor: could not handle the end of \"{}\": {}", change.executionArn(), e.toString());
                    }
                });
            }
        });
        executor.execute(() -> {
            try {
                janitor.sweep();
            } catch (RuntimeException e) {
                LOG.warn("janitor: the startup sweep failed: {}", e.toString());
            }
        });
    }

    @PreDestroy
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
