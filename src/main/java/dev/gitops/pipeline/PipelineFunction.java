package dev.gitops.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.execution.Commits;
import dev.gitops.function.FunctionError;
import dev.gitops.function.LambdaFunction;
import dev.gitops.function.Payloads;
import dev.gitops.http.PublicUrl;
import dev.gitops.lock.Lock;
import dev.gitops.lock.LockConfiguration;
import dev.gitops.lock.LockStore;
import dev.gitops.pipeline.PipelineSteps.Acquire;
import dev.gitops.pipeline.PipelineSteps.Acquired;
import dev.gitops.pipeline.PipelineSteps.Check;
import dev.gitops.pipeline.PipelineSteps.Explain;
import dev.gitops.pipeline.PipelineSteps.Record;
import dev.gitops.pipeline.PipelineSteps.Release;
import dev.gitops.pipeline.PipelineSteps.Step;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The pipeline's own steps, one function with an {@code action} ({@link PipelineSteps}): {@code acquire},
 * {@code check} and {@code release} the lock, {@code record} the deployment, {@code explain} a failure as a sentence.
 * The state machine calls it as {@code ${PipelineFunction}} (an AWS Lambda function in AWS; in process locally).
 */
@Singleton
@Named(PipelineFunction.NAME)
public class PipelineFunction implements LambdaFunction, PipelineSteps.Steps {
    /** The function's name where the definition says ${PipelineFunction}. */
    public static final String NAME = "gitops-pipeline-function";
    private static final Logger LOG = LoggerFactory.getLogger(PipelineFunction.class);

    private final LockStore locks;
    private final DeploymentStore deployments;
    private final LockConfiguration config;
    private final BuildFailures failures;
    private final Payloads payloads;
    private final Clock clock;
    private final PublicUrl publicUrl;

    public PipelineFunction(LockStore locks, DeploymentStore deployments, LockConfiguration config,
                            BuildFailures failures, Payloads payloads, Clock clock, PublicUrl publicUrl) {
        this.locks = locks;
        this.deployments = deployments;
        this.config = config;
        this.failures = failures;
        this.payloads = payloads;
        this.clock = clock;
        this.publicUrl = publicUrl;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode handle(JsonNode payload) {
        return payloads.write(payloads.read(payload, Step.class).doneBy(this));
    }

    @Override
    public Acquired acquire(Acquire p) {
        String lockId = FunctionError.require(p.lockId(), "lockId");
        String execution = FunctionError.require(p.execution(), "execution");
        Duration holdFor = config.holdFor(Duration.ofSeconds(p.approvalTimeoutSeconds()));
        LockStore.Acquired outcome = locks.acquire(new LockStore.Claim(lockId, execution,
                FunctionError.require(p.sha(), "sha"), p.branch() == null ? "" : p.branch(), Lock.Phase.PLAN, holdFor));
        if (outcome.acquired()) {
            LOG.info("lock \"{}\" acquired by \"{}\"", lockId, execution);
            return Acquired.yes();
        }
        Instant now = clock.instant();
        Instant started = p.startedAt() == null ? now : Instant.parse(p.startedAt());
        Duration waited = Duration.between(started, now);
        boolean giveUp = waited.compareTo(config.getWaitTimeout()) >= 0;
        Lock holder = outcome.current();
        PipelineSteps.Holder who = holder == null || holder.holder() == null ? null : new PipelineSteps.Holder(
                holder.holder(), holder.sha(), holder.branch(), holder.phase(), String.valueOf(holder.acquiredAt()));
        return new Acquired(false, giveUp, Math.max(1, config.getPollInterval().toSeconds()), who, busy(lockId, holder, waited));
    }

    private String busy(String lockId, Lock holder, Duration waited) {
        String who = holder == null || holder.holder() == null ? "another execution"
                : "execution " + holder.holderName() + " (commit " + (holder.sha() == null ? "?" : Commits.shortSha(holder.sha()))
                + " of branch " + holder.branch() + ", " + (holder.phase() == null ? null : holder.phase().wire())
                + " since " + holder.acquiredAt() + ")";
        return "lock " + lockId + " is held by " + who + "; waited " + waited.toSeconds() + " s of "
                + config.getWaitTimeout().toSeconds() + " s. Release it by stopping that execution (aws stepfunctions"
                + " stop-execution --execution-arn " + (holder == null ? "<arn>" : holder.holder()) + ") or with"
                + " DELETE " + publicUrl.value() + "/api/locks/" + URLEncoder.encode(lockId, StandardCharsets.UTF_8)
                + " (Authorization: Bearer <gitops.admin-token>)";
    }

    @Override
    public PipelineSteps.Checked check(Check p) {
        String lockId = FunctionError.require(p.lockId(), "lockId");
        String execution = FunctionError.require(p.execution(), "execution");
        if (!locks.extend(lockId, execution, Lock.Phase.APPLY, config.holdFor(Duration.ZERO))) {
            Lock now = locks.get(lockId);
            throw new FunctionError("LockLost", "lock " + lockId + " is no longer held by this execution"
                    + (now != null && now.heldAt(clock.instant()) ? " (held by " + now.holderName() + ")" : " (it expired or was released)")
                    + ": the plan is not applied");
        }
        return new PipelineSteps.Checked(Lock.Phase.APPLY);
    }

    @Override
    public PipelineSteps.Released release(Release p) {
        String lockId = FunctionError.require(p.lockId(), "lockId");
        String execution = FunctionError.require(p.execution(), "execution");
        boolean released = locks.release(lockId, execution);
        LOG.info("lock \"{}\" {} by \"{}\"", lockId, released ? "released" : "was not held", execution);
        return new PipelineSteps.Released(released);
    }

    @Override
    public PipelineSteps.Recorded record(Record p) {
        String execution = FunctionError.require(p.execution(), "execution");
        PipelineSteps.Run run = p.run() == null ? new PipelineSteps.Run(null, null, null, null, null, null, null, null) : p.run();
        String at = p.at() == null ? clock.instant().toString() : p.at();
        deployments.put(DeploymentStore.Deployment.of(run, execution, at));
        return new PipelineSteps.Recorded(true);
    }

    @Override
    public PipelineSteps.Explanation explain(Explain p) {
        BuildFailures.Caught error = p.error() == null ? new BuildFailures.Caught(null, null) : p.error();
        String sentence = failures.explain(error, p.dir(), p.environment());
        return new PipelineSteps.Explanation(failures.name(error, sentence), sentence);
    }
}
