package dev.gitops.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.execution.Commits;
import dev.gitops.execution.ExecutionNames;
import dev.gitops.notify.CommitStatuses;
import dev.gitops.notify.Slack;
import dev.gitops.routing.Environment;
import dev.gitops.routing.Routing;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The approval's life: requested by {@code WaitForApproval}, decided once (page or Slack), superseded by a newer push,
 * or expired; each step told to Slack and, for the commit, to GitHub.
 */
@Singleton
public class Approvals {
    private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);

    /**
     * What became of a decision; {@code UNVERIFIED_PLAN}: an approval refused because the plan's text no longer has the
     * sha256 its build recorded (what a person would approve is not what was planned).
     */
    public enum Outcome { DECIDED, ALREADY_DECIDED, EXPIRED, UNKNOWN, TRY_AGAIN, UNVERIFIED_PLAN }

    private final ApprovalStore store;
    private final ApprovalLinks links;
    private final Slack slack;
    private final CommitStatuses statuses;
    private final SfnClient sfn;
    private final Routing routing;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final PlanText planText;

    public Approvals(ApprovalStore store, ApprovalLinks links, Slack slack, CommitStatuses statuses, SfnClient sfn,
                     Routing routing, Clock clock, ObjectMapper mapper, PlanText planText) {
        this.planText = planText;
        this.store = store;
        this.links = links;
        this.slack = slack;
        this.statuses = statuses;
        this.sfn = sfn;
        this.routing = routing;
        this.clock = clock;
        this.mapper = mapper;
    }

    public ApprovalStore store() {
        return store;
    }

    public ApprovalLinks links() {
        return links;
    }

    /** Stores the approval {@code WaitForApproval} asks for and tells people where to decide. */
    public Approval request(ApprovalRequest request, Instant expires) {
        Approval approval = store.putPending(request, clock.instant(), expires);
        String link = links.link(approval.id(), approval.expiresAt());
        LOG.info("approval \"{}\" pending: {} in {} at {}; open {}", approval.id(), approval.dir(), approval.environment(),
                approval.shortSha(), link);
        slack.post(SlackMessages.request(approval, link), "approval needed for " + approval.stack() + " in "
                + approval.environment() + ": " + link);
        // the status links the page without its signature: repository readers see where to look, not a way to decide
        statuses.set(approval.repository(), approval.sha(), context(approval), CommitStatuses.State.PENDING,
                "awaiting approval", links.unsigned(approval.id()));
        return approval;
    }

    /** The environment's approvers (Slack user ids); empty: anyone with the link decides. */
    public List<String> approvers(Approval approval) {
        return routing.environment(approval.environment()).map(Environment::approvers).orElse(List.of());
    }

    /**
     * Decides once and completes the task: SendTaskSuccess {@code {"approved": true, "approver", "at"}} or
     * SendTaskFailure {@code Rejected}. Whatever the way (page or Slack), a plan whose text does not verify is never
     * approved.
     *
     * @param via {@code page} or {@code slack}
     */
    public Outcome decide(String id, boolean approve, String who, String via) {
        Approval approval = store.get(id);
        if (approval == null) {
            return Outcome.UNKNOWN;
        }
        if (approve && approval.pending() && !planText.read(approval.planLocation(), approval.planTextSha256()).verified()) {
            LOG.warn("approval \"{}\": the plan's text does not have its recorded sha256: not approved", id);
            return Outcome.UNVERIFIED_PLAN;
        }
        Instant now = clock.instant();
        ApprovalStatus decision = approve ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED;
        if (!store.decide(id, decision, who, via, now)) {
            Approval current = store.get(id);
            return current != null && current.pending() ? Outcome.EXPIRED : Outcome.ALREADY_DECIDED;
        }
        try {
            if (approve) {
                String output = json(new Decision(true, who, now.toString()));
                sfn.sendTaskSuccess(b -> b.taskToken(approval.taskToken()).output(output));
            } else {
                sfn.sendTaskFailure(b -> b.taskToken(approval.taskToken()).error("Rejected")
                        .cause("rejected by " + who + " (" + via + ")"));
            }
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException gone) {
            LOG.info("approval \"{}\": the execution no longer waits ({})", id, gone.getClass().getSimpleName());
            store.expire(id);
            return Outcome.EXPIRED;
        } catch (RuntimeException unreachable) {
            // Step Functions did not take the decision: it is not one yet
            LOG.warn("approval \"{}\": Step Functions did not take the decision ({}); the approval is pending again", id,
                    unreachable.toString());
            store.reopen(id, decision, who);
            return Outcome.TRY_AGAIN;
        }
        LOG.info("approval \"{}\" {} by {} ({})", id, decision.wire(), who, via);
        if (approve) {
            statuses.set(approval.repository(), approval.sha(), context(approval), CommitStatuses.State.PENDING,
                    "approved by " + who + ": applying", null);
        }
        slack.post(SlackMessages.decided(approval, decision, who),
                approval.stack() + " in " + approval.environment() + " " + decision.wire() + " by " + who);
        return Outcome.DECIDED;
    }

    /** Attempts at telling Step Functions an approval was superseded, and the first pause between them. */
    static final int SUPERSEDE_ATTEMPTS = 4;
    static final Duration SUPERSEDE_BACKOFF = Duration.ofMillis(250);

    /**
     * A newer execution on the same lock retires this approval: its execution ends {@code Superseded}. Step Functions
     * is asked until it takes the failure; if it never does, the approval is pending again, so that it can still be
     * decided (rejected, most likely) rather than hold its lock, undecidable, until it times out.
     */
    public boolean supersede(Approval old, String newSha, String newExecution) {
        if (!store.decide(old.id(), ApprovalStatus.SUPERSEDED, newExecution, "push", clock.instant())) {
            return false;
        }
        String cause = "commit " + newSha + " (execution " + ExecutionNames.fromArn(newExecution) + ") replaced commit "
                + old.sha();
        for (int attempt = 1; ; attempt++) {
            try {
                sfn.sendTaskFailure(b -> b.taskToken(old.taskToken()).error("Superseded").cause(cause));
                break;
            } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException gone) {
                LOG.info("approval \"{}\": the superseded execution no longer waits", old.id());
                break;
            } catch (RuntimeException unreachable) {
                if (attempt >= SUPERSEDE_ATTEMPTS) {
                    LOG.warn("approval \"{}\": Step Functions did not take its superseding after {} attempts ({}); it is"
                            + " pending again, to be decided", old.id(), attempt, unreachable.toString());
                    store.reopen(old.id(), ApprovalStatus.SUPERSEDED, newExecution);
                    return false;
                }
                sleep(SUPERSEDE_BACKOFF.multipliedBy(1L << (attempt - 1)));
            }
        }
        LOG.info("approval \"{}\" of {} superseded by {} ({})", old.id(), old.shortSha(), newSha, newExecution);
        slack.post(SlackMessages.superseded(old, newSha), old.stack() + " in " + old.environment() + ": "
                + Commits.shortSha(newSha) + " replaced " + old.shortSha());
        return true;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The execution ended while its approval was pending (timeout, stop): the approval expires and Slack hears it. */
    public void executionEnded(String execution, String error) {
        for (Approval approval : store.ofExecution(execution)) {
            if (approval.pending() && store.decide(approval.id(), ApprovalStatus.EXPIRED, "", "timeout", clock.instant())) {
                if ("Expired".equals(error)) {
                    slack.post(SlackMessages.decided(approval, ApprovalStatus.EXPIRED, ""), approval.stack() + " in "
                            + approval.environment() + ": approval expired");
                }
            }
        }
    }

    static String context(Approval approval) {
        return CommitStatuses.context(approval.environment(), approval.stack());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
