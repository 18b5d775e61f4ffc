package dev.gitops.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts one execution per (stack, environment) through the SfnClient, a few at a time. An execution that already
 * exists (a redelivery) counts as started.
 */
@Singleton
public class ExecutionStarter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionStarter.class);

    /** An execution to start. */
    public record Planned(String name, ObjectNode input) {
    }

    /** A started (or already running) execution; {@code created} is false when it existed already (a redelivery). */
    public record Started(String name, String executionArn, boolean created) {
    }

    /** What happened: those started, and those that could not be, with the reason. */
    public record Outcome(List<Started> started, List<String> failures) {
        public boolean complete() {
            return failures.isEmpty();
        }
    }

    /** A start this recent is taken for a new one (see startOne). */
    static final java.time.Duration REPEAT_WINDOW = java.time.Duration.ofSeconds(10);

    private final SfnClient sfn;
    private final StateMachineLocator locator;
    private final ExecutorService pool;

    public ExecutionStarter(SfnClient sfn, StateMachineLocator locator) {
        this.sfn = sfn;
        this.locator = locator;
        AtomicInteger counter = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "start-execution-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public Outcome start(List<Planned> planned) {
        String machine = locator.stateMachineArn();
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (Planned p : planned) {
            calls.add(CompletableFuture.supplyAsync(() -> startOne(machine, p), pool));
        }
        List<Started> started = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<Object> call : calls) {
            Object result = call.join();
            if (result instanceof Started s) {
                started.add(s);
            } else {
                failures.add((String) result);
            }
        }
        return new Outcome(List.copyOf(started), List.copyOf(failures));
    }

    private Object startOne(String machine, Planned p) {
        try {
            var response = sfn.startExecution(b -> b.stateMachineArn(machine).name(p.name()).input(p.input().toString()));
            String arn = response.executionArn();
            // Step Functions answers a StartExecution repeated while the execution runs (same name and input) as if it
            // started it, with the original start date: an old start date means a redelivery, not a new execution
            boolean created = response.startDate() == null
                    || response.startDate().isAfter(java.time.Instant.now().minus(REPEAT_WINDOW));
            if (created) {
                LOG.info("started \"{}\"", arn);
            }
            return new Started(p.name(), arn, created);
        } catch (ExecutionAlreadyExistsException e) {
            return new Started(p.name(), executionArn(machine, p.name()), false);
        } catch (RuntimeException e) {
            LOG.warn("could not start \"{}\" on \"{}\": {}", p.name(), machine, e.toString());
            return p.name() + ": " + e.getMessage();
        }
    }

    /** The ARN an execution of this state machine has under this name. */
    static String executionArn(String stateMachineArn, String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
