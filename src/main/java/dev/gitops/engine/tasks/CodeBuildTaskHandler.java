package dev.gitops.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.asl.TaskResource;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.data.StatesErrors;
import dev.gitops.engine.data.StatesException;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code arn:aws:states:::codebuild:startBuild.sync} (and request-response {@code startBuild}) on a {@link BuildRunner}.
 * The result is {@code {"Build": {...}}} with CodeBuild's field names ({@code BuildStatus}, {@code Phases},
 * {@code ExportedEnvironmentVariables}, {@code Logs}, ...), so one state machine reads AWS's and this one's alike. A
 * build that does not succeed fails the task with {@code States.TaskFailed} and the {@code Build} JSON as the cause,
 * as Step Functions does.
 */
public final class CodeBuildTaskHandler implements TaskHandler {
    private static final Set<String> PARAMETERS = Set.of("ProjectName", "SourceVersion", "SourceLocationOverride",
            "SourceTypeOverride", "EnvironmentVariablesOverride", "BuildspecOverride", "TimeoutInMinutesOverride",
            "IdempotencyToken");

    private final BuildRunner runner;
    private final Clock clock;
    private final String region;
    private final String accountId;

    public CodeBuildTaskHandler(BuildRunner runner, Clock clock, String region, String accountId) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.clock = clock;
        this.region = region;
        this.accountId = accountId;
    }

    @Override
    public String service() {
        return "codebuild";
    }

    @Override
    public String check(TaskResource resource) {
        if ("startBuild".equals(resource.action()) && resource.pattern() != TaskResource.Pattern.WAIT_FOR_TASK_TOKEN) {
            return null;
        }
        return "The embedded engine runs arn:aws:states:::codebuild:startBuild and codebuild:startBuild.sync; '"
                + resource.arn() + "' is not supported";
    }

    @Override
    public CompletableFuture<JsonNode> start(TaskRequest request) {
        JsonNode parameters = request.parameters();
        Iterator<String> names = parameters.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!PARAMETERS.contains(field)) {
                return CompletableFuture.failedFuture(new StatesException(StatesErrors.RUNTIME, "The field '" + field
                        + "' is not a parameter of codebuild:startBuild here (supported: "
                        + String.join(", ", PARAMETERS.stream().sorted().toList()) + ")."));
            }
        }
        String project = parameters.path("ProjectName").asText("");
        if (project.isBlank()) {
            return CompletableFuture.failedFuture(new StatesException("CodeBuild.InvalidInputException",
                    "codebuild:startBuild needs 'ProjectName'."));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode variable : parameters.path("EnvironmentVariablesOverride")) {
            String name = variable.path("Name").asText("");
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return CompletableFuture.failedFuture(new StatesException("CodeBuild.InvalidInputException",
                        "EnvironmentVariablesOverride: '" + name + "' is not a variable name."));
            }
            JsonNode value = variable.get("Value");
            environment.put(name, value == null || value.isNull() ? "" : value.isTextual() ? value.asText() : value.toString());
        }
        String id = project + ":" + UUID.randomUUID();
        int timeout = parameters.path("TimeoutInMinutesOverride").asInt(60);
        Instant started = clock.instant();
        BuildRunner.Request build = new BuildRunner.Request(id, project, text(parameters, "SourceVersion"),
                text(parameters, "SourceLocationOverride"), environment, text(parameters, "BuildspecOverride"), timeout,
                request.cancelled(), text(parameters, "SourceTypeOverride"));
        if (request.resource().pattern() == TaskResource.Pattern.REQUEST_RESPONSE) {
            runner.run(build);
            ObjectNode result = Json.object();
            result.set("Build", buildJson(build, started, null, null));
            return CompletableFuture.completedFuture(result);
        }
        return runner.run(build).thenApply(outcome -> {
            ObjectNode json = buildJson(build, started, clock.instant(), outcome);
            if (!"SUCCEEDED".equals(outcome.status())) {
                throw new StatesException(StatesErrors.TASK_FAILED, Json.write(json));
            }
            ObjectNode result = Json.object();
            result.set("Build", json);
            return result;
        });
    }

    private static String text(JsonNode parameters, String field) {
        JsonNode value = parameters.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private ObjectNode buildJson(BuildRunner.Request request, Instant started, Instant ended, BuildRunner.Result outcome) {
        ObjectNode build = Json.object();
        build.put("Id", request.id());
        build.put("Arn", "arn:aws:codebuild:" + region + ":" + accountId + ":build/" + request.id());
        build.put("ProjectName", request.projectName());
        build.put("StartTime", started.toEpochMilli() / 1000.0);
        if (ended != null) {
            build.put("EndTime", ended.toEpochMilli() / 1000.0);
        }
        build.put("BuildStatus", outcome == null ? "IN_PROGRESS" : outcome.status());
        build.put("BuildComplete", outcome != null);
        build.put("CurrentPhase", outcome == null ? "SUBMITTED" : "COMPLETED");
        if (request.sourceVersion() != null) {
            build.put("SourceVersion", request.sourceVersion());
            build.put("ResolvedSourceVersion", request.sourceVersion());
        }
        build.put("TimeoutInMinutes", request.timeoutMinutes());
        ObjectNode environment = build.putObject("Environment");
        ArrayNode variables = environment.putArray("EnvironmentVariables");
        request.environment().forEach((name, value) ->
                variables.addObject().put("Name", name).put("Type", "PLAINTEXT").put("Value", value));
        if (outcome != null) {
            ArrayNode phases = build.putArray("Phases");
            for (BuildRunner.Phase phase : outcome.phases()) {
                ObjectNode p = phases.addObject().put("PhaseType", phase.type()).put("PhaseStatus", phase.status())
                        .put("DurationInSeconds", phase.durationMillis() / 1000);
                if (phase.message() != null) {
                    p.putArray("Contexts").addObject().put("StatusCode", phase.status()).put("Message", phase.message());
                }
            }
            ArrayNode exported = build.putArray("ExportedEnvironmentVariables");
            outcome.exported().forEach((name, value) -> exported.addObject().put("Name", name).put("Value", value));
            ObjectNode logs = build.putObject("Logs");
            if (outcome.log() != null) {
                logs.put("DeepLink", outcome.log().toUri().toString());
                logs.put("GroupName", "/local/codebuild/" + request.projectName());
                logs.put("StreamName", request.id().substring(request.id().indexOf(':') + 1));
            }
        }
        return build;
    }
}
