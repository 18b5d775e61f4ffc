package dev.gitops.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.tasks.FunctionError;
import dev.gitops.local.InProcessFunction;
import dev.gitops.lock.Lock;
import dev.gitops.lock.LockConfiguration;
import dev.gitops.lock.LockStore;
import dev.gitops.runner.BuildFailures;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The pipeline's own steps, one function with an {@code action}: {@code acquire}, {@code check} and {@code release}
 * the lock, {@code record} the deployment, {@code explain} a failure as a sentence. The state machine calls it as
 * {@code ${PipelineFunction}} (an AWS Lambda function in AWS; in process locally).
 */
@Singleton
public class PipelineFunction implements InProcessFunction {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineFunction.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LockStore locks;
    private final DeploymentStore deployments;
    private final LockConfiguration config;
    private final Clock clock;
    /** The function's name where the definition says ${PipelineFunction}. */
    public static final String NAME = "gitops-pipeline-function";
    private final String publicUrl;

    public PipelineFunction(LockStore locks, DeploymentStore deployments, LockConfiguration config, Clock clock,
                            dev.gitops.approval.ApprovalLinks links) {
        this.locks = locks;
        this.deployments = deployments;
        this.config = config;
        this.clock = clock;
        this.publicUrl = links.publicUrl();
    }

    @Override
    public String functionName() {
        return NAME;
    }

    @Override
    public JsonNode handle(JsonNode payload) {
        String action = payload.path("action").asText();
        return switch (action) {
            case "acquire" -> acquire(payload);
            case "check" -> check(payload);
            case "release" -> release(payload);
            case "record" -> record(payload);
            case "explain" -> explain(payload);
            default -> throw new FunctionError("InvalidAction", "unknown action '" + action
                    + "' (acquire, check, release, record, explain)");
        };
    }

    /** Expiry of a lock held through plan, approval and apply: approval timeout + twice the build timeout. */
    private Duration holdFor(JsonNode payload) {
        return config.holdFor(Duration.ofSeconds(payload.path("approvalTimeoutSeconds").asLong(0)));
    }

    private JsonNode acquire(JsonNode p) {
        String lockId = required(p, "lockId");
        String execution = required(p, "execution");
        LockStore.Acquired outcome = locks.acquire(new LockStore.Claim(lockId, execution, required(p, "sha"),
                p.path("branch").asText(""), "plan", holdFor(p)));
        ObjectNode result = MAPPER.createObjectNode();
        result.put("acquired", outcome.acquired());
        if (outcome.acquired()) {
            LOG.info("lock \"{}\" acquired by \"{}\"", lockId, execution);
            return result;
        }
        Instant now = clock.instant();
        Instant started = Instant.parse(p.path("startedAt").asText(now.toString()));
        Duration waited = Duration.between(started, now);
        boolean giveUp = waited.compareTo(config.getWaitTimeout()) >= 0;
        Lock holder = outcome.current();
        result.put("giveUp", giveUp);
        result.put("waitSeconds", Math.max(1, config.getPollInterval().toSeconds()));
        if (holder != null && holder.holder() != null) {
            result.putObject("holder").put("execution", holder.holder()).put("sha", holder.sha())
                    .put("branch", holder.branch()).put("phase", holder.phase())
                    .put("since", String.valueOf(holder.acquiredAt()));
        }
        result.put("message", busy(lockId, holder, waited));
        return result;
    }

    private String busy(String lockId, Lock holder, Duration waited) {
        String who = holder == null || holder.holder() == null ? "another execution"
                : "execution " + holder.holderName() + " (commit " + shortSha(holder.sha()) + " of branch "
                + holder.branch() + ", " + holder.phase() + " since " + holder.acquiredAt() + ")";
        return "lock " + lockId + " is held by " + who + "; waited " + waited.toSeconds() + " s of "
                + config.getWaitTimeout().toSeconds() + " s. Release it by stopping that execution (aws stepfunctions"
                + " stop-execution --execution-arn " + (holder == null ? "<arn>" : holder.holder()) + ") or with"
                + " DELETE " + publicUrl + "/api/locks/" + URLEncoder.encode(lockId, StandardCharsets.UTF_8)
                + " (Authorization: Bearer <gitops.admin-token>)";
    }

    private JsonNode check(JsonNode p) {
        String lockId = required(p, "lockId");
        String execution = required(p, "execution");
        if (!locks.extend(lockId, execution, "apply", config.holdFor(Duration.ZERO))) {
            Lock now = locks.get(lockId);
            throw new FunctionError("LockLost", "lock " + lockId + " is no longer held by this execution"
                    + (now != null && now.heldAt(clock.instant()) ? " (held by " + now.holderName() + ")" : " (it expired or was released)")
                    + ": the plan is not applied");
        }
        return MAPPER.createObjectNode().put("phase", "apply");
    }

    private JsonNode release(JsonNode p) {
        String lockId = required(p, "lockId");
        String execution = required(p, "execution");
        boolean released = locks.release(lockId, execution);
        LOG.info("lock \"{}\" {} by \"{}\"", lockId, released ? "released" : "was not held", execution);
        return MAPPER.createObjectNode().put("released", released);
    }

    private JsonNode record(JsonNode p) {
        JsonNode run = p.path("run");
        String execution = required(p, "execution");
        String at = p.path("at").asText(clock.instant().toString());
        JsonNode decision = run.get("decision");
        deployments.put(new DeploymentStore.Deployment(run.path("lockId").asText(),
                at + "#" + execution.substring(execution.lastIndexOf(':') + 1),
                run.path("repository").asText(), run.path("stack").path("name").asText(), run.path("stack").path("dir").asText(),
                run.path("environment").asText(), run.path("sha").asText(), execution, run.path("plan").path("result").path("summary"),
                decision == null || decision.isNull() ? null : decision, "applied"));
        return MAPPER.createObjectNode().put("recorded", true);
    }

    private JsonNode explain(JsonNode p) {
        JsonNode error = p.path("error");
        String sentence = BuildFailures.explain(error, p.path("dir").asText(), p.path("environment").asText());
        String name = BuildFailures.failure(error.path("Error").asText("Failed"), error.path("Cause").asText("")).name();
        JsonNode cause = null;
        try {
            cause = MAPPER.readTree(error.path("Cause").asText(""));
        } catch (java.io.IOException ignored) {
            // not JSON
        }
        if (cause != null && (cause.has("Build") || cause.has("BuildStatus"))) {
            name = sentence.startsWith("plan") ? "PlanFailed" : sentence.startsWith("apply") ? "ApplyFailed" : "BuildFailed";
        }
        return MAPPER.createObjectNode().put("Error", name).put("Cause", sentence);
    }

    private static String required(JsonNode p, String field) {
        JsonNode value = p.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new FunctionError("InvalidPayload", "'" + field + "' is required");
        }
        return value.asText();
    }

    private static String shortSha(String sha) {
        return sha == null ? "?" : sha.substring(0, Math.min(7, sha.length()));
    }
}
