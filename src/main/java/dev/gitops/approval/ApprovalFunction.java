package dev.gitops.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.tasks.FunctionError;
import dev.gitops.local.InProcessFunction;
import dev.gitops.lock.LockConfiguration;
import dev.gitops.lock.LockStore;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code WaitForApproval}'s function ({@code ${ApprovalFunction}}, invoked with {@code .waitForTaskToken}): moves the
 * lock to the approval phase, stores the pending approval with its task token and tells people (log, Slack, the
 * commit's status) where to decide: the signed link of the approval page. Its return value
 * does not matter: the execution waits for SendTaskSuccess ({@code {"approved": true, "approver", "at"}}) or
 * SendTaskFailure ({@code Rejected}).
 */
@Singleton
public class ApprovalFunction implements InProcessFunction {

    /** The function's name where the definition says ${ApprovalFunction}. */
    public static final String NAME = "gitops-approval-function";

    private final Approvals approvals;
    private final LockStore locks;
    private final LockConfiguration lockConfig;
    private final Clock clock;

    private final Superseding superseding;

    public ApprovalFunction(Approvals approvals, Superseding superseding, LockStore locks, LockConfiguration lockConfig,
                            Clock clock) {
        this.approvals = approvals;
        this.superseding = superseding;
        this.locks = locks;
        this.lockConfig = lockConfig;
        this.clock = clock;
    }

    @Override
    public String functionName() {
        return NAME;
    }

    @Override
    public JsonNode handle(JsonNode payload) {
        if (payload.path("taskToken").asText().isBlank()) {
            throw new FunctionError("InvalidPayload", "'taskToken' is required: invoke with .waitForTaskToken");
        }
        Instant now = clock.instant();
        Duration timeout = Duration.ofSeconds(payload.path("timeoutSeconds").asLong(Duration.ofHours(24).toSeconds()));
        String lockId = payload.path("lockId").asText("");
        if (!lockId.isEmpty()) {
            locks.extend(lockId, payload.path("executionArn").asText(), "approval",
                    lockConfig.holdFor(timeout));
        }
        Approval approval = approvals.request(payload, now.plus(timeout));
        superseding.whenWaiting(approval);
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("approvalId", approval.id());
    }
}
