package dev.gitops.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.asl.TaskResource;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.data.StatesException;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * {@code arn:aws:states:::lambda:invoke} (request-response and {@code .waitForTaskToken}) against functions registered
 * in this process by name. The result has Step Functions' shape: {@code Payload}, {@code StatusCode},
 * {@code ExecutedVersion}, {@code SdkHttpMetadata}, {@code SdkResponseMetadata}.
 */
public final class LambdaTaskHandler implements TaskHandler {
    private static final Set<String> PARAMETERS = Set.of("FunctionName", "Payload", "InvocationType", "Qualifier",
            "ClientContext", "LogType");

    private final Map<String, LocalFunction> functions = new ConcurrentHashMap<>();
    private final Executor executor;
    private final String region;
    private final String accountId;

    public LambdaTaskHandler(Executor executor, String region, String accountId) {
        this.executor = executor;
        this.region = region;
        this.accountId = accountId;
    }

    /** Registers (or replaces) the function invoked for {@code FunctionName} {@code name} or its ARN. */
    public LambdaTaskHandler register(String name, LocalFunction function) {
        functions.put(name, function);
        return this;
    }

    @Override
    public String service() {
        return "lambda";
    }

    @Override
    public String check(TaskResource resource) {
        if (!"invoke".equals(resource.action()) || resource.pattern() == TaskResource.Pattern.SYNC) {
            return "The embedded engine runs arn:aws:states:::lambda:invoke and arn:aws:states:::lambda:invoke.waitForTaskToken;"
                    + " '" + resource.arn() + "' is not supported";
        }
        return null;
    }

    @Override
    public CompletableFuture<JsonNode> start(TaskRequest request) {
        JsonNode parameters = request.parameters();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        Iterator<String> names = parameters.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!PARAMETERS.contains(field)) {
                return CompletableFuture.failedFuture(new StatesException("Lambda.InvalidParameterValueException",
                        "The field '" + field + "' is not a parameter of lambda:invoke (allowed: " + String.join(", ", PARAMETERS.stream().sorted().toList()) + ")."));
            }
        }
        JsonNode functionName = parameters.get("FunctionName");
        if (functionName == null || !functionName.isTextual()) {
            return CompletableFuture.failedFuture(new StatesException("Lambda.InvalidParameterValueException",
                    "lambda:invoke needs 'FunctionName' (a function name or ARN)."));
        }
        String name = functionName(functionName.asText());
        LocalFunction function = functions.get(name);
        if (function == null) {
            return CompletableFuture.failedFuture(new StatesException("Lambda.ResourceNotFoundException",
                    "Function not found: arn:aws:lambda:" + region + ":" + accountId + ":function:" + name
                            + " (functions in this process: " + String.join(", ", functions.keySet().stream().sorted().toList()) + ")"));
        }
        JsonNode payload = parameters.has("Payload") ? parameters.get("Payload") : Json.object();
        String invocationType = parameters.path("InvocationType").asText("RequestResponse");
        if ("Event".equals(invocationType)) {
            executor.execute(() -> call(function, payload));
            result.complete(response(Json.NODES.textNode(""), 202));
            return result;
        }
        executor.execute(() -> {
            try {
                result.complete(response(call(function, payload), 200));
            } catch (StatesException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static JsonNode call(LocalFunction function, JsonNode payload) {
        try {
            JsonNode output = function.handle(payload.deepCopy());
            return output == null ? Json.NODES.nullNode() : output;
        } catch (FunctionError e) {
            throw new StatesException(e.errorType(), errorCause(e.errorType(), e.getMessage()), e);
        } catch (Exception e) {
            String type = e.getClass().getName();
            throw new StatesException(type, errorCause(type, e.getMessage()), e);
        }
    }

    private static String errorCause(String type, String message) {
        ObjectNode cause = Json.object();
        cause.put("errorMessage", message);
        cause.put("errorType", type);
        cause.putArray("stackTrace");
        return Json.write(cause);
    }

    private static ObjectNode response(JsonNode payload, int status) {
        ObjectNode response = Json.object();
        response.put("ExecutedVersion", "$LATEST");
        response.set("Payload", payload);
        String requestId = UUID.randomUUID().toString();
        ObjectNode http = response.putObject("SdkHttpMetadata");
        ObjectNode headers = Json.object();
        headers.put("Content-Type", "application/json");
        headers.put("X-Amz-Executed-Version", "$LATEST");
        headers.put("x-amzn-RequestId", requestId);
        http.set("AllHttpHeaders", headers.deepCopy());
        http.set("HttpHeaders", headers);
        http.put("HttpStatusCode", status);
        response.putObject("SdkResponseMetadata").put("RequestId", requestId);
        response.put("StatusCode", status);
        return response;
    }

    /** "name", "name:alias", "123456789012:function:name", or a full function ARN -> "name". */
    static String functionName(String reference) {
        String[] parts = reference.split(":");
        if (reference.startsWith("arn:")) {
            return parts.length >= 7 ? parts[6] : reference;
        }
        if (parts.length >= 3 && "function".equals(parts[1])) {
            return parts[2];
        }
        return parts[0];
    }
}
