package dev.gitops.approval;

import dev.gitops.execution.Commits;
import dev.gitops.execution.ExecutionNames;
import dev.gitops.execution.PlanResult;

import java.time.Instant;

/**
 * One approval as stored: what is to be approved, and its decision once there is one.
 *
 * @param planTextSha256 the sha256 the plan build recorded for the plan's text; the page shows only a text that has it
 */
public record Approval(String id, ApprovalStatus status, String taskToken, String execution, String repository,
                       String stack, String dir, String environment, String lockId, String branch, String sha,
                       String message, String pusher, PlanResult.Summary planSummary, String planLocation,
                       String planSha256, String planTextSha256, Instant createdAt, Instant expiresAt, String decidedBy, Instant decidedAt,
                       String via) {

    public boolean pending() {
        return status == ApprovalStatus.PENDING;
    }

    public String shortSha() {
        return Commits.shortSha(sha);
    }

    /** The execution's name, from its ARN. */
    public String executionName() {
        return ExecutionNames.fromArn(execution);
    }
}
