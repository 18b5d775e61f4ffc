package dev.gitops.local;

import dev.gitops.lock.LockJanitor;
import dev.gitops.pipeline.ExecutionEnded;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Local mode's wiring of {@link ExecutionEnded}: the engine's status listener hands every ended execution to it (off
 * the engine's threads: the lock janitor, approvals, commit statuses), and the lock janitor sweeps once at startup.
 */
@Context
@Requires(notEnv = {Environment.FUNCTION, "lambda"})
@Requires(property = "gitops.local.enabled", notEquals = "false")
public class LocalJanitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalJanitor.class);
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "lock-janitor");
        thread.setDaemon(true);
        return thread;
    });

    public LocalJanitor(LocalServices services, LocalTables tables, LockJanitor janitor, ExecutionEnded ended) {
        services.engine().addListener(change -> {
            if (!"RUNNING".equals(change.status())) {
                executor.execute(() -> {
                    try {
                        var execution = services.engine().describeExecution(change.executionArn());
                        ended.handle(change.executionArn(), change.status(), change.error(), execution.input(),
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

    @jakarta.annotation.PreDestroy
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
