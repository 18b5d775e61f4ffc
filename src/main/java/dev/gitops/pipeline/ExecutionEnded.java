package dev.gitops.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.approval.Approvals;
import dev.gitops.comments.PlanComments;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.PlanResult;
import dev.gitops.lock.LockJanitor;
import dev.gitops.notify.CommitStatuses;
import dev.gitops.notify.CommitStatuses.State;
import dev.gitops.runtime.Json;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * What happens when a pipeline execution ends, whoever hears it (the engine's listener locally, EventBridge in AWS):
 * the janitor frees a lock left behind, a pending approval expires (Slack hears of an approval timeout), and the
 * commit's status {@code gitops/<env>/<stack>} gets its final state, and a pull request's plan comment its stack's.
 */
@Singleton
public class ExecutionEnded {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionEnded.class);

    /** A commit status: its state and description. */
    record Status(State state, String description) {
    }

    /** The parts of a succeeded execution's output the final status needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Output(PipelineSteps.PlanStep plan) {
        PlanResult result() {
            return plan == null ? null : plan.result();
        }
    }

    private final LockJanitor janitor;
    private final Approvals approvals;
    private final CommitStatuses statuses;
    private final ObjectMapper mapper;
    private final PlanComments comments;

    public ExecutionEnded(LockJanitor janitor, Approvals approvals, CommitStatuses statuses, ObjectMapper mapper,
                          PlanComments comments) {
        this.janitor = janitor;
        this.approvals = approvals;
        this.statuses = statuses;
        this.mapper = mapper;
        this.comments = comments;
    }

    /**
     * @param status    how it ended (a running execution is left alone)
     * @param cause     the execution's cause when it failed (a sentence), or null
     * @param authentic whether the caller is sure the execution ended (the engine's listener), as opposed to an
     *                  EventBridge event that may be late or repeated
     */
    public void handle(String executionArn, ExecutionStatus status, String error, String cause, String input,
                       String output, boolean authentic) {
        if (LockJanitor.running(status)) {
            return;
        }
        ExecutionInput in = ExecutionInput.readLeniently(mapper, input);
        janitor.executionEnded(executionArn, status, in == null ? null : in.lockId(), !authentic);
        try {
            if (status != ExecutionStatus.SUCCEEDED) { // a succeeded execution has no approval left waiting
                approvals.executionEnded(executionArn, error);
            }
        } catch (RuntimeException e) {
            LOG.warn("execution \"{}\" ended: its approvals could not be closed: {}", executionArn, e.toString());
        }
        if (in != null && in.repository() != null && in.sha() != null) {
            Output out = Json.readOrNull(mapper, output, Output.class);
            Status state = finalStatus(status, error, in, out == null ? null : out.result());
            statuses.set(in.repository(), in.sha(), CommitStatuses.context(in.environment(),
                    in.stack() == null ? null : in.stack().name()), state.state(), state.description(), null);
            comments.ended(in, executionArn, status == ExecutionStatus.SUCCEEDED, out == null ? null : out.result(), cause);
        }
    }

    /** The commit status of an ended execution. */
    static Status finalStatus(ExecutionStatus status, String error, ExecutionInput input, PlanResult plan) {
        if (status == ExecutionStatus.SUCCEEDED) {
            String counts = plan != null && plan.summary() != null ? " (" + plan.summary().counts() + ")" : "";
            if (input.planOnly()) {
                return new Status(State.SUCCESS, "planned" + counts);
            }
            if (plan != null && Boolean.FALSE.equals(plan.changes())) {
                return new Status(State.SUCCESS, "no changes");
            }
            return new Status(State.SUCCESS, "applied" + counts);
        }
        if (status == ExecutionStatus.ABORTED) {
            return new Status(State.ERROR, "stopped");
        }
        if (status == ExecutionStatus.TIMED_OUT) {
            return new Status(State.ERROR, "timed out");
        }
        return switch (error == null ? "" : error) {
            case "Rejected" -> new Status(State.FAILURE, "rejected");
            case "Superseded" -> new Status(State.FAILURE, "superseded by a newer commit");
            case "Expired" -> new Status(State.FAILURE, "approval expired");
            case "PlanFailed" -> new Status(State.FAILURE, "plan failed");
            case "ApplyFailed" -> new Status(State.FAILURE, "apply failed");
            case "LockHeld" -> new Status(State.FAILURE, "stack locked by another execution");
            default -> new Status(State.FAILURE, "failed: " + error);
        };
    }
}
