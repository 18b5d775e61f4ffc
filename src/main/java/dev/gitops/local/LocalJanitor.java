package dev.gitops.local;

import dev.gitops.lock.LockJanitor;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Local mode's janitor wiring: the engine's status listener hands every ended execution to {@link LockJanitor} (off the
 * engine's threads), and a sweep runs once at startup.
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

    public LocalJanitor(LocalServices services, LocalTables tables, LockJanitor janitor) {
        services.engine().addListener(change -> {
            if (!"RUNNING".equals(change.status())) {
                executor.execute(() -> {
                    try {
                        String input = services.engine().describeExecution(change.executionArn()).input();
                        janitor.executionEnded(change.executionArn(), change.status(), input);
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
