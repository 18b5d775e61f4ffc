package dev.gitops.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.drift.DriftSteps.Listed;
import dev.gitops.drift.DriftSteps.Lock;
import dev.gitops.drift.DriftSteps.Record;
import dev.gitops.drift.DriftSteps.Recorded;
import dev.gitops.drift.DriftSteps.Target;
import dev.gitops.execution.Commits;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.ExecutionNames;
import dev.gitops.execution.PlanResult;
import dev.gitops.function.FunctionError;
import dev.gitops.function.LambdaFunction;
import dev.gitops.function.Payloads;
import dev.gitops.lock.LockStore;
import dev.gitops.pipeline.BuildFailures;
import dev.gitops.pipeline.DeploymentStore;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The drift state machine's function ({@code ${DriftFunction}}; {@code GITOPS_FUNCTION=gitops-drift-function} in AWS):
 * {@code list} the latest deployment of every stack (the stacks to plan again, at their deployed commit and source
 * archive), say whether a deployment holds a stack's {@code lock} now, and {@code record} each stack's outcome in the
 * drift table (never the deployments table), telling Slack when a stack drifts or is back in sync.
 */
@Singleton
@Named(DriftFunction.NAME)
public class DriftFunction implements LambdaFunction, DriftSteps.Steps {
    public static final String NAME = "gitops-drift-function";
    private static final Logger LOG = LoggerFactory.getLogger(DriftFunction.class);

    private final DeploymentStore deployments;
    private final LockStore locks;
    private final DriftStore drift;
    private final DriftNotices notices;
    private final DriftConfiguration config;
    private final BuildFailures failures;
    private final Payloads payloads;
    private final Clock clock;

    DriftFunction(DeploymentStore deployments, LockStore locks, DriftStore drift, DriftNotices notices,
                  DriftConfiguration config, BuildFailures failures, Payloads payloads, Clock clock) {
        this.deployments = deployments;
        this.locks = locks;
        this.drift = drift;
        this.notices = notices;
        this.config = config;
        this.failures = failures;
        this.payloads = payloads;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode handle(JsonNode payload) {
        return payloads.write(payloads.read(payload, DriftSteps.Step.class).doneBy(this));
    }

    /**
     * The latest deployment of each stack; one recorded before source archives were kept cannot be planned again
     * exactly and is recorded as skipped, saying so.
     */
    @Override
    public Listed list(DriftSteps.ListStacks step) {
        String environment = step.environment();
        List<Target> targets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (DeploymentStore.Deployment d : deployments.list(environment == null || environment.isBlank() ? null : environment)) {
            if (d.target() == null || !seen.add(d.target())) {
                continue; // newest first: the first record of a target is what is deployed now
            }
            Target target = new Target(d.repository(), d.stackFiles() != null ? d.stackFiles()
                    : new ExecutionInput.Stack(d.stack(), d.dir(), "", ""), d.environment(), d.sha(),
                    d.target(), d.source());
            if (d.source() == null || d.stackFiles() == null) {
                DriftStore.Check previous = drift.latest(target.lockId());
                drift.put(check(target, DriftStatus.SKIPPED, "deployed by " + ExecutionNames.fromArn(d.execution())
                        + " before deployments kept their source archive: deploy it again to check it for drift", null, null,
                        previous, null), previous);
                continue;
            }
            targets.add(target);
        }
        LOG.info("drift: {} deployed stack(s) to check{}", targets.size(), environment == null ? "" : " in " + environment);
        return new Listed(targets, config.getMaxConcurrency());
    }

    @Override
    public Lock lock(DriftSteps.LockHeld step) {
        dev.gitops.lock.Lock held = locks.get(FunctionError.require(step.lockId(), "lockId"));
        boolean now = held != null && held.heldAt(clock.instant());
        return new Lock(now, now ? held.holder() : null);
    }

    @Override
    public Recorded record(Record p) {
        Target target = p.target();
        if (target == null || target.lockId() == null) {
            throw new FunctionError("InvalidPayload", "'target' with its lockId is required");
        }
        String dir = target.stack() == null ? null : target.stack().dir();
        DriftStatus status;
        String summary;
        PlanResult.Summary plan = null;
        PlanResult result = p.plan() == null ? null : p.plan().result();
        if (p.lock() != null && p.lock().held()) {
            status = DriftStatus.SKIPPED;
            summary = "skipped: a deployment holds the lock (execution " + ExecutionNames.fromArn(p.lock().holder())
                    + "); the next check plans it";
        } else if (p.error() != null) {
            status = DriftStatus.ERROR;
            summary = failures.explain(p.error(), dir, target.environment());
        } else if (result == null || result.exitCode() == null) {
            status = DriftStatus.ERROR;
            summary = "the plan of " + dir + " in " + target.environment() + " exported no result";
        } else if (result.exitCode() == 0) {
            status = DriftStatus.IN_SYNC;
            summary = "no changes: matches commit " + Commits.shortSha(target.sha()) + " as deployed";
        } else {
            status = DriftStatus.DRIFTED;
            plan = result.summary() == null ? PlanResult.Summary.NONE : result.summary();
            List<String> resources = DriftNotices.addresses(plan);
            summary = plan.counts() + " to match commit " + Commits.shortSha(target.sha())
                    + (resources.isEmpty() ? "" : ": " + String.join(", ", resources));
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            DriftStore.Check previous = drift.latest(target.lockId());
            if (newer(previous, p.startedAt())) {
                LOG.info("drift: {} in {}: {} by a check that started before the one recorded; not recorded", dir,
                        target.environment(), status.wire());
                return new Recorded(status, summary);
            }
            DriftStore.Check now = check(target, status, summary, plan, p.check(), previous, p.startedAt());
            if (!drift.put(now, previous)) {
                continue; // another check was recorded meanwhile: measure the change from it
            }
            DriftStatus before = previous == null ? null : previous.settled();
            if (status == DriftStatus.DRIFTED && before != DriftStatus.DRIFTED) {
                notices.drifted(now);
            } else if (status == DriftStatus.IN_SYNC && before == DriftStatus.DRIFTED) {
                notices.backInSync(now);
            }
            LOG.info("drift: {} in {}: {} ({})", dir, target.environment(), status.wire(), summary);
            return new Recorded(status, summary);
        }
        throw new FunctionError("DriftNotRecorded", "the drift status of " + dir + " in " + target.environment()
                + " changed under five attempts to record it");
    }

    /** Whether {@code previous} was recorded by a check that started after one started at {@code startedAt}. */
    private static boolean newer(DriftStore.Check previous, String startedAt) {
        return previous != null && previous.startedAt() != null && !previous.startedAt().isEmpty() && startedAt != null
                && Instant.parse(previous.startedAt()).isAfter(Instant.parse(startedAt));
    }

    private DriftStore.Check check(Target t, DriftStatus status, String summary, PlanResult.Summary plan, String check,
                                   DriftStore.Check previous, String startedAt) {
        DriftStatus settled = status == DriftStatus.IN_SYNC || status == DriftStatus.DRIFTED ? status
                : previous == null ? null : previous.settled();
        return new DriftStore.Check(t.lockId(), t.repository(), t.stack() == null ? null : t.stack().name(),
                t.stack() == null ? null : t.stack().dir(), t.environment(), status, t.sha(), clock.instant().toString(),
                summary, plan, check, settled, startedAt);
    }
}
