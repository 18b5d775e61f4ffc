package dev.gitops.drift;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.PlanResult;
import dev.gitops.pipeline.BuildFailures;

import java.util.List;

/**
 * The drift function's payloads and results, as {@code statemachine/drift.asl.json} sends and reads them: the
 * payload's {@code action} says which step.
 */
public final class DriftSteps {
    private DriftSteps() {
    }

    /** One step of the drift function, by its {@code action}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "action")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = ListStacks.class, name = "list"),
            @JsonSubTypes.Type(value = LockHeld.class, name = "lock"),
            @JsonSubTypes.Type(value = Record.class, name = "record")})
    public sealed interface Step permits ListStacks, LockHeld, Record {
        /** This step, done by {@code steps}; its answer. */
        Object doneBy(Steps steps);
    }

    /** What each step does: the drift function. */
    public interface Steps {
        Listed list(ListStacks step);

        Lock lock(LockHeld step);

        Recorded record(Record step);
    }

    /** {@code ListDeployedStacks}: every stack's latest deployment, in one environment ({@code environment}) or all. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ListStacks(String environment) implements Step {
        @Override
        public Object doneBy(Steps steps) {
            return steps.list(this);
        }
    }

    /** What the Map runs over: a deployed stack, as the plan of its deployed commit needs it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Target(String repository, ExecutionInput.Stack stack, String environment, String sha, String lockId,
                         ExecutionInput.Source source) {
    }

    /** The stacks to check and how many at once ({@code MaxConcurrencyPath}). */
    public record Listed(List<Target> stacks, int maxConcurrency) {
    }

    /** {@code LockHeld?}: whether a deployment holds the stack's lock now. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LockHeld(String lockId) implements Step {
        @Override
        public Object doneBy(Steps steps) {
            return steps.lock(this);
        }
    }

    /** Held, and by which execution. */
    public record Lock(boolean held, String holder) {
    }

    /**
     * {@code RecordInSyncOrDrift}, {@code RecordSkipped}, {@code RecordError}: one stack's outcome, from the plan's
     * result, the error the plan failed with, or the lock's holder.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Record(String check, String startedAt, Target target, Plan plan, BuildFailures.Caught error, Lock lock)
            implements Step {
        @Override
        public Object doneBy(Steps steps) {
            return steps.record(this);
        }
    }

    /** {@code $.plan}: the plan build's id and exported result. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Plan(String buildId, PlanResult result) {
    }

    /** What was recorded. */
    public record Recorded(DriftStatus status, String summary) {
    }
}
