package dev.gitops.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.gitops.approval.Decision;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.PlanResult;
import dev.gitops.lock.Lock;

/**
 * The pipeline function's payloads and results, one record each, as {@code statemachine/pipeline.asl.json} sends and
 * reads them: the payload's {@code action} says which step.
 */
public final class PipelineSteps {
    private PipelineSteps() {
    }

    /** One step of the pipeline function, by its {@code action}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "action")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Acquire.class, name = "acquire"),
            @JsonSubTypes.Type(value = Check.class, name = "check"),
            @JsonSubTypes.Type(value = Release.class, name = "release"),
            @JsonSubTypes.Type(value = Record.class, name = "record"),
            @JsonSubTypes.Type(value = Explain.class, name = "explain")})
    public sealed interface Step permits Acquire, Check, Release, Record, Explain {
        /** This step, done by {@code steps}. */
        Result doneBy(Steps steps);
    }

    /** What each step does: the pipeline function. */
    public interface Steps {
        Acquired acquire(Acquire step);

        Checked check(Check step);

        Released release(Release step);

        Recorded record(Record step);

        Explanation explain(Explain step);
    }

    /** A step's answer. */
    public sealed interface Result permits Acquired, Checked, Released, Recorded, Explanation {
    }

    /**
     * {@code AcquireLock}: take the stack's lock, or say who holds it.
     *
     * @param startedAt the execution's start ({@code $$.Execution.StartTime}): waiting counts from it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Acquire(String lockId, String execution, String startedAt, String sha, String branch,
                          long approvalTimeoutSeconds) implements Step {
        @Override
        public Result doneBy(Steps steps) {
            return steps.acquire(this);
        }
    }

    /** {@code CheckLock}: still the holder before Apply? */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Check(String lockId, String execution) implements Step {
        @Override
        public Result doneBy(Steps steps) {
            return steps.check(this);
        }
    }

    /** {@code ReleaseLock}, {@code ReleaseLockOnFailure}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Release(String lockId, String execution) implements Step {
        @Override
        public Result doneBy(Steps steps) {
            return steps.release(this);
        }
    }

    /**
     * {@code RecordDeployment}.
     *
     * @param at  when the state was entered ({@code $$.State.EnteredTime})
     * @param run the execution's state ({@code $}): its input and what the steps added
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Record(String execution, String at, Run run) implements Step {
        @Override
        public Result doneBy(Steps steps) {
            return steps.record(this);
        }
    }

    /** The parts of the execution's state a deployment record keeps. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Run(String lockId, String repository, ExecutionInput.Stack stack, String environment, String sha,
                      PlanStep plan, Decision decision, ExecutionInput.Source source) {
    }

    /** {@code $.plan}: the Plan step's result. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PlanStep(String buildId, PlanResult result) {
    }

    /** {@code ExplainFailure}: the caught error as a sentence. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Explain(BuildFailures.Caught error, String dir, String environment) implements Step {
        @Override
        public Result doneBy(Steps steps) {
            return steps.explain(this);
        }
    }

    /** {@code AcquireLock}'s answer: acquired, or whether to give up, how long to wait, who holds it and a sentence. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Acquired(boolean acquired, Boolean giveUp, Long waitSeconds, Holder holder, String message)
            implements Result {
        static Acquired yes() {
            return new Acquired(true, null, null, null, null);
        }
    }

    /** Who holds a lock. */
    public record Holder(String execution, String sha, String branch, Lock.Phase phase, String since) {
    }

    public record Checked(Lock.Phase phase) implements Result {
    }

    public record Released(boolean released) implements Result {
    }

    public record Recorded(boolean recorded) implements Result {
    }

    /** What {@code Failed} reports: the error's name and the sentence. */
    public record Explanation(@JsonProperty("Error") String error, @JsonProperty("Cause") String cause) implements Result {
    }
}
