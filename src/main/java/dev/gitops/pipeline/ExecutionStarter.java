package dev.gitops.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.runtime.Threads;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts one execution per (stack, environment) through the SfnClient, a few at a time. An execution that already
 * exists (a redelivery) counts as started.
 */
@Singleton
public class ExecutionStarter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionStarter.class);
    /** A start this recent is taken for a new one (see {@link #startOne}). */
    static final Duration REPEAT_WINDOW = Duration.ofSeconds(10);

    /** An execution to start. */
    public record Planned(String name, ExecutionInput input) {
    }

    /** What became of one start. */
    public sealed interface Result permits Started, Refused {
    }

    /** A started (or already running) execution; {@code created} is false when it existed already (a redelivery). */
    public record Started(String name, String executionArn, boolean created) implements Result {
    }

    /**
     * A start that did not happen, and why; {@code uncertain} when no answer came (a timeout, no connection): Step
     * Functions may have started it all the same.
     */
    public record Refused(String name, String reason, boolean uncertain) implements Result {
    }

    /**
     * What happened: those started, and those that could not be, with the reason; {@code uncertain} when some start got
     * no answer and may have happened.
     */
    public record Outcome(List<Started> started, List<String> failures, boolean uncertain) {
        public boolean complete() {
            return failures.isEmpty();
        }
    }

    private final SfnClient sfn;
    private final StateMachineLocator locator;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ExecutorService pool = Executors.newFixedThreadPool(8, Threads.daemon("start-execution"));

    public ExecutionStarter(SfnClient sfn, StateMachineLocator locator, ObjectMapper mapper, Clock clock) {
        this.sfn = sfn;
        this.locator = locator;
        this.mapper = mapper;
        this.clock = clock;
    }

    public Outcome start(List<Planned> planned) {
        return start(planned, false);
    }

    /**
     * @param again the push was started before (another delivery of it): an execution that exists already is not taken
     *              for a new one, however recent (Step Functions answers a repeated start as if it started it)
     */
    public Outcome start(List<Planned> planned, boolean again) {
        String machine = locator.stateMachineArn();
        List<CompletableFuture<Result>> calls = new ArrayList<>();
        for (Planned p : planned) {
            calls.add(CompletableFuture.supplyAsync(() -> again && exists(machine, p.name())
                    ? new Started(p.name(), executionArn(machine, p.name()), false) : startOne(machine, p), pool));
        }
        List<Started> started = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        boolean uncertain = false;
        for (CompletableFuture<Result> call : calls) {
            Result result = call.join();
            if (result instanceof Started s) {
                started.add(s);
            } else if (result instanceof Refused refused) {
                failures.add(refused.name() + ": " + refused.reason());
                uncertain |= refused.uncertain();
            }
        }
        return new Outcome(List.copyOf(started), List.copyOf(failures), uncertain);
    }

    private Result startOne(String machine, Planned p) {
        try {
            String input = mapper.writeValueAsString(p.input());
            StartExecutionResponse response = sfn.startExecution(b -> b.stateMachineArn(machine).name(p.name()).input(input));
            String arn = response.executionArn();
            // Step Functions answers a StartExecution repeated while the execution runs (same name and input) as if it
            // started it, with the original start date: an old start date means a redelivery, not a new execution
            boolean created = response.startDate() == null
                    || response.startDate().isAfter(clock.instant().minus(REPEAT_WINDOW));
            if (created) {
                LOG.info("started \"{}\"", arn);
            }
            return new Started(p.name(), arn, created);
        } catch (ExecutionAlreadyExistsException e) {
            return new Started(p.name(), executionArn(machine, p.name()), false);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("could not start \"{}\" on \"{}\": {}", p.name(), machine, e.toString());
            return new Refused(p.name(), e.getMessage(), e instanceof SdkClientException);
        }
    }

    private boolean exists(String machine, String name) {
        try {
            sfn.describeExecution(b -> b.executionArn(executionArn(machine, name)));
            return true;
        } catch (ExecutionDoesNotExistException e) {
            return false;
        }
    }

    /** The ARN an execution of this state machine has under this name. */
    static String executionArn(String stateMachineArn, String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    @PreDestroy
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
