package dev.gitops.approval;

import dev.gitops.execution.Commits;
import dev.gitops.execution.ExecutionNames;
import dev.gitops.execution.PlanResult;

import java.time.Instant;

/** One approval as stored: what is to be approved, and its decision once there is one. */
public record Approval(String id, ApprovalStatus status, String taskToken, String execution, String repository,
                       String stack, String dir, String environment, String lockId, String branch, String sha,
                       String message, String pusher, PlanResult.Summary planSummary, String planLocation,
                       String planSha256, Instant createdAt, Instant expiresAt, String decidedBy, Instant decidedAt,
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
