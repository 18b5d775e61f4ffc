package dev.gitops.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.Engine;
import dev.gitops.engine.EngineException;
import dev.gitops.engine.StateMachine;
import dev.gitops.engine.asl.Diagnostic;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.runtime.Execution;
import dev.gitops.engine.runtime.ExecutionStatus;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The Step Functions API operations, request JSON in and response JSON out, with AWS's field names, validation and
 * error codes. Transport-free: {@link AwsJsonServer} serves it over HTTP.
 */
public final class SfnOperations {
    private final Engine engine;
    private final Map<String, Function<JsonNode, JsonNode>> operations = Map.ofEntries(
            Map.entry("CreateStateMachine", this::createStateMachine),
            Map.entry("DescribeStateMachine", this::describeStateMachine),
            Map.entry("ListStateMachines", this::listStateMachines),
            Map.entry("UpdateStateMachine", this::updateStateMachine),
            Map.entry("DeleteStateMachine", this::deleteStateMachine),
            Map.entry("ValidateStateMachineDefinition", this::validateStateMachineDefinition),
            Map.entry("StartExecution", this::startExecution),
            Map.entry("DescribeExecution", this::describeExecution),
            Map.entry("ListExecutions", this::listExecutions),
            Map.entry("GetExecutionHistory", this::getExecutionHistory),
            Map.entry("StopExecution", this::stopExecution),
            Map.entry("SendTaskSuccess", this::sendTaskSuccess),
            Map.entry("SendTaskFailure", this::sendTaskFailure),
            Map.entry("SendTaskHeartbeat", this::sendTaskHeartbeat));

    public SfnOperations(Engine engine) {
        this.engine = engine;
    }

    public boolean supports(String operation) {
        return operations.containsKey(operation);
    }

    public Set<String> names() {
        return operations.keySet();
    }

    /** Runs one operation; refusals are {@link EngineException}s with AWS's codes. */
    public JsonNode call(String operation, JsonNode request) {
        Function<JsonNode, JsonNode> op = operations.get(operation);
        if (op == null) {
            throw new EngineException("UnknownOperationException", "Operation '" + operation
                    + "' is not supported by the embedded engine");
        }
        if (request == null || !request.isObject()) {
            throw new EngineException("SerializationException", "The request body must be a JSON object");
        }
        return op.apply(request);
    }

    private JsonNode createStateMachine(JsonNode r) {
        known(r, "name", "definition", "roleArn", "type", "loggingConfiguration", "tags", "tracingConfiguration",
                "publish", "versionDescription", "encryptionConfiguration");
        if (bool(r, "publish")) {
            throw new EngineException("ValidationException", "Publishing state machine versions is not supported by the embedded engine");
        }
        StateMachine machine = engine.createStateMachine(required(r, "name"), required(r, "definition"),
                required(r, "roleArn"), string(r, "type"));
        ObjectNode out = Json.object();
        out.put("stateMachineArn", machine.arn());
        out.put("creationDate", seconds(machine.creationDate()));
        return out;
    }

    private JsonNode describeStateMachine(JsonNode r) {
        known(r, "stateMachineArn", "includedData");
        StateMachine machine = engine.describeStateMachine(required(r, "stateMachineArn"));
        ObjectNode out = Json.object();
        out.put("stateMachineArn", machine.arn());
        out.put("name", machine.name());
        out.put("status", machine.status());
        out.put("definition", machine.definitionText());
        out.put("roleArn", machine.roleArn());
        out.put("type", machine.type());
        out.put("creationDate", seconds(machine.creationDate()));
        out.put("revisionId", machine.revisionId());
        out.putObject("loggingConfiguration").put("level", "OFF").put("includeExecutionData", false);
        out.putObject("tracingConfiguration").put("enabled", false);
        return out;
    }

    private JsonNode listStateMachines(JsonNode r) {
        known(r, "maxResults", "nextToken");
        List<StateMachine> all = engine.listStateMachines();
        Page page = Page.of(r, all.size());
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("stateMachines");
        for (StateMachine machine : all.subList(page.from, page.to)) {
            ObjectNode item = items.addObject();
            item.put("stateMachineArn", machine.arn());
            item.put("name", machine.name());
            item.put("type", machine.type());
            item.put("creationDate", seconds(machine.creationDate()));
        }
        page.next(out);
        return out;
    }

    private JsonNode updateStateMachine(JsonNode r) {
        known(r, "stateMachineArn", "definition", "roleArn", "loggingConfiguration", "tracingConfiguration", "publish",
                "versionDescription", "encryptionConfiguration");
        StateMachine machine = engine.updateStateMachine(required(r, "stateMachineArn"), string(r, "definition"),
                string(r, "roleArn"));
        ObjectNode out = Json.object();
        out.put("updateDate", seconds(machine.updateDate()));
        out.put("revisionId", machine.revisionId());
        return out;
    }

    private JsonNode deleteStateMachine(JsonNode r) {
        known(r, "stateMachineArn");
        engine.deleteStateMachine(required(r, "stateMachineArn"));
        return Json.object();
    }

    private JsonNode validateStateMachineDefinition(JsonNode r) {
        known(r, "definition", "type", "severity", "maxResults");
        List<Diagnostic> diagnostics = engine.validate(required(r, "definition"));
        ObjectNode out = Json.object();
        out.put("result", diagnostics.isEmpty() ? "OK" : "FAIL");
        ArrayNode list = out.putArray("diagnostics");
        for (Diagnostic d : diagnostics) {
            list.addObject().put("severity", "ERROR").put("code", d.code()).put("message", d.message())
                    .put("location", d.location());
        }
        out.put("truncated", false);
        return out;
    }

    private JsonNode startExecution(JsonNode r) {
        known(r, "stateMachineArn", "name", "input", "traceHeader");
        Engine.Started started = engine.startExecution(required(r, "stateMachineArn"), string(r, "name"), string(r, "input"));
        ObjectNode out = Json.object();
        out.put("executionArn", started.execution().arn());
        out.put("startDate", seconds(started.execution().startDate()));
        return out;
    }

    private JsonNode describeExecution(JsonNode r) {
        known(r, "executionArn", "includedData");
        Execution x = engine.describeExecution(required(r, "executionArn"));
        ObjectNode out = Json.object();
        out.put("executionArn", x.arn());
        out.put("stateMachineArn", x.stateMachineArn());
        out.put("name", x.name());
        ExecutionStatus status = x.status();
        out.put("status", status.name());
        out.put("startDate", seconds(x.startDate()));
        if (x.stopDate() != null) {
            out.put("stopDate", seconds(x.stopDate()));
        }
        out.put("input", x.input());
        out.putObject("inputDetails").put("included", true);
        if (status == ExecutionStatus.SUCCEEDED) {
            out.put("output", x.output());
            out.putObject("outputDetails").put("included", true);
        }
        if (x.error() != null) {
            out.put("error", x.error());
        }
        if (x.cause() != null) {
            out.put("cause", x.cause());
        }
        out.put("redriveCount", 0);
        out.put("redriveStatus", "NOT_REDRIVABLE");
        return out;
    }

    private JsonNode listExecutions(JsonNode r) {
        known(r, "stateMachineArn", "statusFilter", "maxResults", "nextToken", "mapRunArn", "redriveFilter");
        String filter = string(r, "statusFilter");
        ExecutionStatus status = null;
        if (filter != null) {
            try {
                status = ExecutionStatus.valueOf(filter);
            } catch (IllegalArgumentException e) {
                throw new EngineException("ValidationException", "1 validation error detected: Value '" + filter
                        + "' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set:"
                        + " [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]");
            }
        }
        if (r.has("mapRunArn")) {
            throw new EngineException("ValidationException", "Map runs are not supported by the embedded engine");
        }
        List<Execution> all = engine.listExecutions(required(r, "stateMachineArn"), status);
        Page page = Page.of(r, all.size());
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("executions");
        for (Execution x : all.subList(page.from, page.to)) {
            ObjectNode item = items.addObject();
            item.put("executionArn", x.arn());
            item.put("stateMachineArn", x.stateMachineArn());
            item.put("name", x.name());
            item.put("status", x.status().name());
            item.put("startDate", seconds(x.startDate()));
            if (x.stopDate() != null) {
                item.put("stopDate", seconds(x.stopDate()));
            }
            item.put("redriveCount", 0);
        }
        page.next(out);
        return out;
    }

    private JsonNode getExecutionHistory(JsonNode r) {
        known(r, "executionArn", "maxResults", "reverseOrder", "nextToken", "includeExecutionData");
        Execution x = engine.describeExecution(required(r, "executionArn"));
        List<JsonNode> events = x.history();
        if (bool(r, "reverseOrder")) {
            events = new ArrayList<>(events);
            java.util.Collections.reverse(events);
        }
        JsonNode include = r.get("includeExecutionData");
        boolean includeData = include == null || include.isNull() || bool(r, "includeExecutionData");
        Page page = Page.of(r, events.size());
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("events");
        for (JsonNode event : events.subList(page.from, page.to)) {
            list.add(includeData ? event : withoutData(event));
        }
        page.next(out);
        return out;
    }

    private static JsonNode withoutData(JsonNode event) {
        ObjectNode copy = event.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = copy.fields();
        while (fields.hasNext()) {
            JsonNode value = fields.next().getValue();
            if (value.isObject()) {
                ((ObjectNode) value).remove(List.of("input", "output", "parameters"));
            }
        }
        return copy;
    }

    private JsonNode stopExecution(JsonNode r) {
        known(r, "executionArn", "error", "cause");
        String error = string(r, "error");
        String cause = string(r, "cause");
        limit(error, "error", 256);
        limit(cause, "cause", 32768);
        Instant stopped = engine.stopExecution(required(r, "executionArn"), error, cause);
        ObjectNode out = Json.object();
        out.put("stopDate", seconds(stopped));
        return out;
    }

    private JsonNode sendTaskSuccess(JsonNode r) {
        known(r, "taskToken", "output");
        engine.sendTaskSuccess(required(r, "taskToken"), required(r, "output"));
        return Json.object();
    }

    private JsonNode sendTaskFailure(JsonNode r) {
        known(r, "taskToken", "error", "cause");
        String error = string(r, "error");
        String cause = string(r, "cause");
        limit(error, "error", 256);
        limit(cause, "cause", 32768);
        engine.sendTaskFailure(required(r, "taskToken"), error, cause);
        return Json.object();
    }

    private JsonNode sendTaskHeartbeat(JsonNode r) {
        known(r, "taskToken");
        engine.sendTaskHeartbeat(required(r, "taskToken"));
        return Json.object();
    }

    // ------------------------------------------------------------------------------------------------ request parsing

    private static void known(JsonNode r, String... fields) {
        Set<String> allowed = Set.of(fields);
        Iterator<String> names = r.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new EngineException("ValidationException", "1 validation error detected: '" + name
                        + "' is not a member of this request (members: " + String.join(", ", fields) + ")");
            }
        }
    }

    private static String required(JsonNode r, String field) {
        String value = string(r, field);
        if (value == null) {
            throw new EngineException("ValidationException", "1 validation error detected: Value null at '" + field
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    private static String string(JsonNode r, String field) {
        JsonNode value = r.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new EngineException("SerializationException", "'" + field + "' must be a string, not "
                    + Json.typeName(value));
        }
        return value.asText();
    }

    private static boolean bool(JsonNode r, String field) {
        JsonNode value = r.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new EngineException("SerializationException", "'" + field + "' must be a boolean, not " + Json.typeName(value));
        }
        return value.asBoolean();
    }

    private static void limit(String value, String field, int max) {
        if (value != null && value.length() > max) {
            throw new EngineException("ValidationException", "1 validation error detected: Value at '" + field
                    + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
        }
    }

    static BigDecimal seconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    /** maxResults (0 or absent: 100; at most 1000) and an opaque nextToken holding the offset. */
    private record Page(int from, int to, int total) {
        static Page of(JsonNode r, int total) {
            JsonNode max = r.get("maxResults");
            int size = 100;
            if (max != null && !max.isNull()) {
                if (!max.isIntegralNumber() || !max.canConvertToInt() || max.asInt() < 0 || max.asInt() > 1000) {
                    throw new EngineException("ValidationException", "1 validation error detected: Value '" + max
                            + "' at 'maxResults' failed to satisfy constraint: Member must have value between 0 and 1000");
                }
                size = max.asInt() == 0 ? 100 : max.asInt();
            }
            int from = 0;
            String token = string(r, "nextToken");
            if (token != null) {
                try {
                    String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                    if (!decoded.startsWith("offset:")) {
                        throw new IllegalArgumentException();
                    }
                    from = Integer.parseInt(decoded.substring("offset:".length()));
                    if (from < 0) {
                        throw new IllegalArgumentException();
                    }
                } catch (IllegalArgumentException e) {
                    throw new EngineException("InvalidToken", "Invalid Token: '" + token + "' is not a nextToken this API returned");
                }
            }
            from = Math.min(from, total);
            return new Page(from, Math.min(total, from + size), total);
        }

        void next(ObjectNode out) {
            if (to < total) {
                out.put("nextToken", Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(("offset:" + to).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
