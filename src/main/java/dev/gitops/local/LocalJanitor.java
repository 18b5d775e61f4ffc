package dev.gitops.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.execution.ExecutionInput;
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
import java.time.Duration;
import java.time.Instant;
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
                        LocalConfiguration config, ObjectMapper mapper) {
        Path plans = config.dataPath().resolve("plans");
        services.engine().addListener(change -> {
            ExecutionStatus status = ExecutionStatus.fromValue(change.status());
            if (!LockJanitor.running(status)) {
                executor.execute(() -> {
                    try {
                        var execution = services.engine().describeExecution(change.executionArn());
                        ended.handle(change.executionArn(), status, change.error(), execution.cause(),
                                execution.input(), execution.output(), true);
                        ExecutionInput in = ExecutionInput.readLeniently(mapper, execution.input());
                        forgetPlans(plans, change.name(), in != null && in.planOnly());
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

    /** The text of a plan-only run's plan is kept this long (as S3's lifecycle keeps plans in AWS). */
    static final Duration KEEP_TEXTS = Duration.ofDays(30);

    /**
     * An ended execution's saved plan is of no use any more (an approval that ended cannot be decided): it goes, so
     * plans do not pile up in the data directory. So does its text, except a plan-only run's (a pull request's comment
     * links it), which goes after {@link #KEEP_TEXTS} with the others that old.
     */
    private static void forgetPlans(Path plans, String execution, boolean keepText) {
        Instant old = Instant.now().minus(KEEP_TEXTS);
        try (var environments = Files.list(plans)) {
            for (Path environment : environments.toList()) {
                Files.deleteIfExists(environment.resolve(execution + ".tfplan"));
                if (!keepText) {
                    Files.deleteIfExists(environment.resolve(execution + ".tfplan.txt"));
                }
                try (var texts = Files.list(environment)) {
                    for (Path text : texts.filter(t -> t.getFileName().toString().endsWith(".tfplan.txt")).toList()) {
                        if (Files.getLastModifiedTime(text).toInstant().isBefore(old)) {
                            Files.deleteIfExists(text);
                        }
                    }
                }
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
