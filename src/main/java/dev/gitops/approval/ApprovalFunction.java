package dev.gitops.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.function.FunctionError;
import dev.gitops.function.Payloads;
import dev.gitops.function.LambdaFunction;
import dev.gitops.lock.Lock;
import dev.gitops.lock.LockConfiguration;
import dev.gitops.lock.LockStore;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code WaitForApproval}'s function ({@code ${ApprovalFunction}}, invoked with {@code .waitForTaskToken}): moves the
 * lock to the approval phase, stores the pending approval with its task token and tells people (log, Slack, the
 * commit's status) where to decide: the signed link of the approval page. Its return value does not matter: the
 * execution waits for SendTaskSuccess ({@link Decision}) or SendTaskFailure ({@code Rejected}).
 */
@Singleton
@Named(ApprovalFunction.NAME)
public class ApprovalFunction implements LambdaFunction {
    /** The function's name where the definition says ${ApprovalFunction}. */
    public static final String NAME = "gitops-approval-function";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

    /** The function's answer. */
    public record Result(String approvalId) {
    }

    private final Approvals approvals;
    private final Superseding superseding;
    private final LockStore locks;
    private final LockConfiguration lockConfig;
    private final Clock clock;
    private final Payloads payloads;

    public ApprovalFunction(Approvals approvals, Superseding superseding, LockStore locks, LockConfiguration lockConfig,
                            Clock clock, Payloads payloads) {
        this.approvals = approvals;
        this.superseding = superseding;
        this.locks = locks;
        this.lockConfig = lockConfig;
        this.clock = clock;
        this.payloads = payloads;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode handle(JsonNode payload) {
        ApprovalRequest request = payloads.read(payload, ApprovalRequest.class);
        if (request.taskToken() == null || request.taskToken().isBlank()) {
            throw new FunctionError("InvalidPayload", "'taskToken' is required: invoke with .waitForTaskToken");
        }
        Instant now = clock.instant();
        Duration timeout = request.timeoutSeconds() == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(request.timeoutSeconds());
        if (request.lockId() != null && !request.lockId().isEmpty()) {
            locks.extend(request.lockId(), request.executionArn(), Lock.Phase.APPROVAL, lockConfig.holdFor(timeout));
        }
        Approval approval = approvals.request(request, now.plus(timeout));
        superseding.whenWaiting(approval);
        return payloads.write(new Result(approval.id()));
    }
}
