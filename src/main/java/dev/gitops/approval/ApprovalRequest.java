package dev.gitops.approval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.PlanResult;

/**
 * {@code WaitForApproval}'s payload (see {@code statemachine/pipeline.asl.json}): the task token, the execution, what
 * is to be approved, and the plan's summary, location and sha256.
 *
 * @param timeoutSeconds how long the task waits ({@code $.approval.timeoutSeconds}); 24 hours when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApprovalRequest(String taskToken, String executionArn, String repository, ExecutionInput.Stack stack,
                              String environment, String sha, String branch, String lockId, Long timeoutSeconds,
                              ExecutionInput.Trigger trigger, Plan plan) {

    /** The plan to approve: its summary, where it is, and the sha256 of the plan file and of its text. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Plan(PlanResult.Summary summary, String location, String sha256, String textSha256) {
    }
}
