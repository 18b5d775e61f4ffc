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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

    public LocalJanitor(LocalServices services, LocalTables tables, LockJanitor janitor, ExecutionEnded ended,
                        LocalConfiguration config) {
        Path plans = config.dataPath().resolve("plans");
        services.engine().addListener(change -> {
            ExecutionStatus status = ExecutionStatus.fromValue(change.status());
            if (!LockJanitor.running(status)) {
                executor.execute(() -> {
                    try {
                        var execution = services.engine().describeExecution(change.executionArn());
                        ended.handle(change.executionArn(), status, change.error(), execution.input(),
                                execution.output(), true);
                        forgetPlans(plans, change.name());
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

    /**
     * An ended execution's saved plan and its text are of no use any more (an approval that ended cannot be decided):
     * they go, so plans do not pile up in the data directory.
     */
    private static void forgetPlans(Path plans, String execution) {
        try (var environments = Files.list(plans)) {
            for (Path environment : environments.toList()) {
                Files.deleteIfExists(environment.resolve(execution + ".tfplan"));
                Files.deleteIfExists(environment.resolve(execution + ".tfplan.txt"));
            }
        } catch (NoSuchFileException none) {
            // no plan yet
        } catch (IOException e) {
            LOG.warn("could not delete the saved plans of \"{}\": {}", execution, e.toString());
        }
    }

    @PreDestroy
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
