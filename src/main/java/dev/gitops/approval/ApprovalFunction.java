package dev.gitops.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.tasks.FunctionError;
import dev.gitops.local.InProcessFunction;
import dev.gitops.lock.LockConfiguration;
import dev.gitops.lock.LockStore;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code WaitForApproval}'s function ({@code ${ApprovalFunction}}, invoked with {@code .waitForTaskToken}): stores the
 * pending approval with its task token, moves the lock to the approval phase and logs how to decide. Its return value
 * does not matter: the execution waits for SendTaskSuccess ({@code {"approved": true, "approver", "at"}}) or
 * SendTaskFailure ({@code Rejected}).
 */
@Singleton
public class ApprovalFunction implements InProcessFunction {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalFunction.class);

    private final ApprovalStore approvals;
    private final LockStore locks;
    private final LockConfiguration lockConfig;
    private final Clock clock;
    /** The function's name where the definition says ${ApprovalFunction}. */
    public static final String NAME = "gitops-approval-function";

    public ApprovalFunction(ApprovalStore approvals, LockStore locks, LockConfiguration lockConfig, Clock clock) {
        this.approvals = approvals;
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
        String id = approvals.putPending(payload, now, now.plus(timeout));
        String lockId = payload.path("lockId").asText("");
        if (!lockId.isEmpty()) {
            locks.extend(lockId, payload.path("executionArn").asText(), "approval",
                    timeout.plus(lockConfig.getBuildTimeout().multipliedBy(2)));
        }
        JsonNode summary = payload.path("plan").path("summary");
        LOG.info("approval \"{}\" pending: {} in {} at {} ({} to add, {} to change, {} to destroy); decide with aws"
                        + " stepfunctions send-task-success --task-token <token of approval {}> --task-output"
                        + " '{\"approved\":true,\"approver\":\"you\"}' or send-task-failure --error Rejected",
                id, payload.path("stack").path("dir").asText(), payload.path("environment").asText(),
                payload.path("sha").asText(), summary.path("add").asInt(), summary.path("change").asInt(),
                summary.path("destroy").asInt(), id);
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("approvalId", id);
    }
}
