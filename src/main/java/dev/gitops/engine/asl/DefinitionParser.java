package dev.gitops.engine.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.data.PayloadTemplate;
import dev.gitops.engine.data.Paths;
import dev.gitops.engine.data.ReferencePath;
import dev.gitops.engine.data.StatesErrors;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Parses an Amazon States Language definition (JSONPath query language) and validates it as CreateStateMachine does,
 * reporting every problem at once. Features the embedded engine does not implement are refused by name.
 */
public final class DefinitionParser {
    public static final String SCHEMA = "SCHEMA_VALIDATION_FAILED";
    public static final String MISSING_TARGET = "MISSING_TRANSITION_TARGET";
    public static final String UNREACHABLE = "UNREACHABLE_STATE";
    public static final String INVALID_JSON = "INVALID_JSON_DESCRIPTION";
    public static final String UNSUPPORTED = "UNSUPPORTED_BY_EMBEDDED_ENGINE";

    private static final Set<String> TOP_FIELDS = Set.of("Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage");
    private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Pass", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result"),
            "Task", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Resource",
                    "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Retry", "Catch"),
            "Choice", Set.of("Choices", "Default", "InputPath", "OutputPath"),
            "Wait", Set.of("Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"),
            "Succeed", Set.of("InputPath", "OutputPath"),
            "Fail", Set.of("Error", "ErrorPath", "Cause", "CausePath"));
    private static final Map<String, String> REFUSED_FIELDS = Map.of(
            "Assign", "Variables ('Assign') are not supported by the embedded engine",
            "Arguments", "'Arguments' belongs to the JSONata query language, which the embedded engine does not support",
            "Output", "'Output' belongs to the JSONata query language, which the embedded engine does not support",
            "Credentials", "Cross-account task 'Credentials' are not supported by the embedded engine");
    private static final Set<String> RETRY_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
            "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCH_FIELDS = Set.of("ErrorEquals", "Next", "ResultPath", "Comment");

    private final Function<TaskResource, String> resourceCheck;
    private final List<Diagnostic> problems = new ArrayList<>();

    /**
     * @param resourceCheck answers null when the engine can run a Task resource, else a sentence saying why not
     */
    private DefinitionParser(Function<TaskResource, String> resourceCheck) {
        this.resourceCheck = resourceCheck;
    }

    public static Definition parse(String text, Function<TaskResource, String> resourceCheck) throws InvalidDefinitionException {
        return new DefinitionParser(resourceCheck).run(text);
    }

    private Definition run(String text) throws InvalidDefinitionException {
        JsonNode root;
        try {
            root = Json.parse(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new InvalidDefinitionException(List.of(new Diagnostic(INVALID_JSON, "The definition is not valid JSON: "
                    + e.getOriginalMessage() + where, "")));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidDefinitionException(List.of(new Diagnostic(SCHEMA, "The definition must be a JSON object", "")));
        }
        unknownFields(root, TOP_FIELDS, "");
        queryLanguage(root, "");
        String comment = optionalString(root, "Comment", "");
        optionalString(root, "Version", "");
        Integer timeout = positiveInt(root, "TimeoutSeconds", "");
        String startAt = requiredString(root, "StartAt", "");
        JsonNode statesNode = root.get("States");
        Map<String, State> states = new LinkedHashMap<>();
        if (statesNode == null || !statesNode.isObject()) {
            schema("The field 'States' is required and must be an OBJECT", "/States");
        } else if (statesNode.isEmpty()) {
            schema("The field 'States' must contain at least one state", "/States");
        } else {
            Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                State state = state(e.getKey(), e.getValue());
                if (state != null) {
                    states.put(e.getKey(), state);
                }
            }
            transitions(statesNode, startAt);
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
        return new Definition(comment, startAt, Collections.unmodifiableMap(states), timeout);
    }

    private State state(String name, JsonNode node) {
        String at = "/States/" + name;
        if (name.isEmpty() || name.length() > 80) {
            schema("State names must be 1 to 80 characters long", at);
        }
        if (!node.isObject()) {
            schema("A state must be an OBJECT", at);
            return null;
        }
        JsonNode typeNode = node.get("Type");
        if (typeNode == null || !typeNode.isTextual()) {
            schema("The field 'Type' is required and must be a STRING", at + "/Type");
            return null;
        }
        String type = typeNode.asText();
        if ("Parallel".equals(type) || "Map".equals(type)) {
            problems.add(new Diagnostic(UNSUPPORTED, "The state type '" + type
                    + "' is not supported by the embedded engine yet", at + "/Type"));
            return null;
        }
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            schema("The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]", at + "/Type");
            return null;
        }
        Set<String> fields = new HashSet<>(allowed);
        fields.addAll(COMMON);
        unknownFields(node, fields, at);
        queryLanguage(node, at);
        optionalString(node, "Comment", at);
        int before = problems.size();
        State state = switch (type) {
            case "Pass" -> new State.Pass(name, pathSpec(node, "InputPath", at), pathSpec(node, "OutputPath", at),
                    template(node, "Parameters", at), node.get("Result"), resultSpec(node, "ResultPath", at), next(node, at));
            case "Task" -> task(name, node, at);
            case "Choice" -> choice(name, node, at);
            case "Wait" -> waitState(name, node, at);
            case "Succeed" -> new State.Succeed(name, pathSpec(node, "InputPath", at), pathSpec(node, "OutputPath", at));
            case "Fail" -> fail(name, node, at);
            default -> null;
        };
        return problems.size() == before ? state : null;
    }

    private State.Task task(String name, JsonNode node, String at) {
        String resourceText = requiredString(node, "Resource", at);
        TaskResource resource = null;
        if (resourceText != null) {
            resource = TaskResource.parse(resourceText);
            if (resource == null) {
                if (resourceText.startsWith("arn:aws:states:") && resourceText.contains(":activity:")) {
                    problems.add(new Diagnostic(UNSUPPORTED, "Activities are not supported by the embedded engine: '"
                            + resourceText + "'", at + "/Resource"));
                } else if (resourceText.startsWith("arn:aws:lambda:")) {
                    problems.add(new Diagnostic(UNSUPPORTED, "Lambda function ARNs as Resource are not supported by the"
                            + " embedded engine: use 'arn:aws:states:::lambda:invoke' with FunctionName '" + resourceText + "'",
                            at + "/Resource"));
                } else {
                    schema("The resource provided " + resourceText + " is not recognized. The value is not a valid resource"
                            + " ARN, or the resource is not available in this region.", at + "/Resource");
                }
            } else {
                String problem = resourceCheck.apply(resource);
                if (problem != null) {
                    problems.add(new Diagnostic(UNSUPPORTED, problem, at + "/Resource"));
                }
            }
        }
        Integer timeout = positiveInt(node, "TimeoutSeconds", at);
        String timeoutPath = optionalPath(node, "TimeoutSecondsPath", at);
        Integer heartbeat = positiveInt(node, "HeartbeatSeconds", at);
        String heartbeatPath = optionalPath(node, "HeartbeatSecondsPath", at);
        if (node.has("TimeoutSeconds") && node.has("TimeoutSecondsPath")) {
            schema("Only one of 'TimeoutSeconds' and 'TimeoutSecondsPath' may be set", at);
        }
        if (node.has("HeartbeatSeconds") && node.has("HeartbeatSecondsPath")) {
            schema("Only one of 'HeartbeatSeconds' and 'HeartbeatSecondsPath' may be set", at);
        }
        if (heartbeat != null && heartbeat >= (timeout == null ? State.Task.DEFAULT_TIMEOUT_SECONDS : timeout)) {
            schema("The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'",
                    at + "/HeartbeatSeconds");
        }
        return new State.Task(name, pathSpec(node, "InputPath", at), pathSpec(node, "OutputPath", at), resource,
                template(node, "Parameters", at), template(node, "ResultSelector", at), resultSpec(node, "ResultPath", at),
                timeout, timeoutPath, heartbeat, heartbeatPath, retriers(node, at), catchers(node, at), next(node, at));
    }

    private State.Choice choice(String name, JsonNode node, String at) {
        JsonNode choices = node.get("Choices");
        List<State.Choice.Branch> branches = new ArrayList<>();
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            schema("The field 'Choices' is required and must be a non-empty ARRAY", at + "/Choices");
        } else {
            for (int i = 0; i < choices.size(); i++) {
                String ruleAt = at + "/Choices/" + i;
                JsonNode rule = choices.get(i);
                List<String> ruleProblems = new ArrayList<>();
                ChoiceRule parsed = rule.isObject() ? ChoiceRules.parse(rule, ruleAt, true, ruleProblems) : null;
                if (!rule.isObject()) {
                    schema("A choice rule must be an OBJECT", ruleAt);
                }
                for (String problem : ruleProblems) {
                    problems.add(diagnostic(SCHEMA, problem));
                }
                String next = rule.isObject() ? requiredString(rule, "Next", ruleAt) : null;
                if (parsed != null && next != null) {
                    branches.add(new State.Choice.Branch(parsed, next));
                }
            }
        }
        String defaultNext = optionalString(node, "Default", at);
        return new State.Choice(name, pathSpec(node, "InputPath", at), pathSpec(node, "OutputPath", at),
                List.copyOf(branches), defaultNext);
    }

    private State.Wait waitState(String name, JsonNode node, String at) {
        int set = 0;
        for (String field : List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")) {
            set += node.has(field) ? 1 : 0;
        }
        if (set != 1) {
            schema("A Wait state must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp' and 'TimestampPath'", at);
        }
        Integer seconds = null;
        if (node.has("Seconds")) {
            JsonNode s = node.get("Seconds");
            if (!s.canConvertToInt() || !s.isIntegralNumber() || s.asInt() < 0) {
                schema("The field 'Seconds' must be a non-negative INTEGER", at + "/Seconds");
            } else {
                seconds = s.asInt();
            }
        }
        Instant timestamp = null;
        if (node.has("Timestamp")) {
            String text = node.get("Timestamp").asText();
            timestamp = timestamp(text);
            if (timestamp == null || !node.get("Timestamp").isTextual()) {
                schema("The field 'Timestamp' must be an RFC3339 timestamp such as 2026-01-01T00:00:00Z", at + "/Timestamp");
            }
        }
        return new State.Wait(name, pathSpec(node, "InputPath", at), pathSpec(node, "OutputPath", at), seconds,
                optionalPath(node, "SecondsPath", at), timestamp, optionalPath(node, "TimestampPath", at), next(node, at));
    }

    private State.Fail fail(String name, JsonNode node, String at) {
        if (node.has("Error") && node.has("ErrorPath")) {
            schema("Only one of 'Error' and 'ErrorPath' may be set", at);
        }
        if (node.has("Cause") && node.has("CausePath")) {
            schema("Only one of 'Cause' and 'CausePath' may be set", at);
        }
        return new State.Fail(name, optionalString(node, "Error", at), optionalPathOrIntrinsic(node, "ErrorPath", at),
                optionalString(node, "Cause", at), optionalPathOrIntrinsic(node, "CausePath", at));
    }

    private List<Retrier> retriers(JsonNode node, String at) {
        JsonNode retry = node.get("Retry");
        if (retry == null) {
            return List.of();
        }
        if (!retry.isArray()) {
            schema("The field 'Retry' must be an ARRAY", at + "/Retry");
            return List.of();
        }
        List<Retrier> result = new ArrayList<>();
        for (int i = 0; i < retry.size(); i++) {
            String rAt = at + "/Retry/" + i;
            JsonNode r = retry.get(i);
            if (!r.isObject()) {
                schema("A Retrier must be an OBJECT", rAt);
                continue;
            }
            unknownFields(r, RETRY_FIELDS, rAt);
            List<String> errors = errorEquals(r, rAt, i == retry.size() - 1);
            Integer interval = positiveInt(r, "IntervalSeconds", rAt);
            Integer maxAttempts = nonNegativeInt(r, "MaxAttempts", rAt);
            Double backoff = null;
            if (r.has("BackoffRate")) {
                JsonNode b = r.get("BackoffRate");
                if (!b.isNumber() || b.asDouble() < 1.0) {
                    schema("The field 'BackoffRate' must be a NUMBER greater than or equal to 1.0", rAt + "/BackoffRate");
                } else {
                    backoff = b.asDouble();
                }
            }
            Integer maxDelay = positiveInt(r, "MaxDelaySeconds", rAt);
            Retrier.Jitter jitter = Retrier.Jitter.NONE;
            if (r.has("JitterStrategy")) {
                String j = r.get("JitterStrategy").asText();
                if (!r.get("JitterStrategy").isTextual() || !(j.equals("FULL") || j.equals("NONE"))) {
                    schema("The field 'JitterStrategy' should have one of these values: [FULL, NONE]", rAt + "/JitterStrategy");
                } else {
                    jitter = Retrier.Jitter.valueOf(j);
                }
            }
            result.add(new Retrier(errors, interval == null ? 1 : interval, maxAttempts == null ? 3 : maxAttempts,
                    backoff == null ? 2.0 : backoff, maxDelay, jitter));
        }
        return List.copyOf(result);
    }

    private List<Catcher> catchers(JsonNode node, String at) {
        JsonNode catchNode = node.get("Catch");
        if (catchNode == null) {
            return List.of();
        }
        if (!catchNode.isArray()) {
            schema("The field 'Catch' must be an ARRAY", at + "/Catch");
            return List.of();
        }
        List<Catcher> result = new ArrayList<>();
        for (int i = 0; i < catchNode.size(); i++) {
            String cAt = at + "/Catch/" + i;
            JsonNode c = catchNode.get(i);
            if (!c.isObject()) {
                schema("A Catcher must be an OBJECT", cAt);
                continue;
            }
            unknownFields(c, CATCH_FIELDS, cAt);
            List<String> errors = errorEquals(c, cAt, i == catchNode.size() - 1);
            String next = requiredString(c, "Next", cAt);
            result.add(new Catcher(errors, next, resultSpec(c, "ResultPath", cAt)));
        }
        return List.copyOf(result);
    }

    private List<String> errorEquals(JsonNode node, String at, boolean last) {
        JsonNode errors = node.get("ErrorEquals");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            schema("The field 'ErrorEquals' is required and must be a non-empty ARRAY of STRINGs", at + "/ErrorEquals");
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < errors.size(); i++) {
            JsonNode e = errors.get(i);
            if (!e.isTextual()) {
                schema("Error names must be STRINGs", at + "/ErrorEquals/" + i);
                continue;
            }
            String name = e.asText();
            if (name.startsWith("States.") && !StatesErrors.PREDEFINED.contains(name)) {
                schema("'" + name + "' is not a predefined error name; names starting with 'States.' are reserved",
                        at + "/ErrorEquals/" + i);
            }
            result.add(name);
        }
        if (result.contains(StatesErrors.ALL)) {
            if (result.size() > 1) {
                schema("'States.ALL' must appear alone in 'ErrorEquals'", at + "/ErrorEquals");
            }
            if (!last) {
                schema("A Retrier or Catcher with 'States.ALL' must be the last one", at);
            }
        }
        return List.copyOf(result);
    }

    private void transitions(JsonNode statesNode, String startAt) {
        Set<String> names = new HashSet<>();
        statesNode.fieldNames().forEachRemaining(names::add);
        if (startAt != null && !names.contains(startAt)) {
            problems.add(new Diagnostic(MISSING_TARGET, "Missing 'StartAt' target: " + startAt, "/StartAt"));
        }
        Map<String, List<String>> edges = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "/States/" + e.getKey();
            JsonNode s = e.getValue();
            List<String> targets = new ArrayList<>();
            edges.put(e.getKey(), targets);
            if (!s.isObject()) {
                continue;
            }
            target(s, "Next", names, at + "/Next", targets);
            target(s, "Default", names, at + "/Default", targets);
            JsonNode choices = s.get("Choices");
            if (choices != null && choices.isArray()) {
                for (int i = 0; i < choices.size(); i++) {
                    target(choices.get(i), "Next", names, at + "/Choices/" + i + "/Next", targets);
                }
            }
            JsonNode catchers = s.get("Catch");
            if (catchers != null && catchers.isArray()) {
                for (int i = 0; i < catchers.size(); i++) {
                    target(catchers.get(i), "Next", names, at + "/Catch/" + i + "/Next", targets);
                }
            }
        }
        if (startAt == null || !names.contains(startAt)) {
            return;
        }
        Set<String> reached = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(startAt));
        while (!queue.isEmpty()) {
            String name = queue.pop();
            if (reached.add(name)) {
                queue.addAll(edges.getOrDefault(name, List.of()));
            }
        }
        for (String name : edges.keySet()) {
            if (!reached.contains(name)) {
                problems.add(new Diagnostic(UNREACHABLE, "State \"" + name + "\" is not reachable.", "/States/" + name));
            }
        }
    }

    private void target(JsonNode node, String field, Set<String> names, String at, List<String> targets) {
        JsonNode target = node == null ? null : node.get(field);
        if (target != null && target.isTextual()) {
            if (names.contains(target.asText())) {
                targets.add(target.asText());
            } else {
                problems.add(new Diagnostic(MISSING_TARGET, "Missing '" + field + "' target: " + target.asText(), at));
            }
        }
    }

    private String next(JsonNode node, String at) {
        boolean hasNext = node.has("Next");
        JsonNode end = node.get("End");
        boolean ends = end != null && end.isBoolean() && end.asBoolean();
        if (end != null && !end.isBoolean()) {
            schema("The field 'End' must be a BOOLEAN", at + "/End");
        }
        if (hasNext && ends) {
            schema("A state may have either 'Next' or 'End', not both", at);
        } else if (!hasNext && !ends) {
            schema("A state of this type must have either 'Next' or \"End\": true", at);
        }
        return hasNext ? requiredString(node, "Next", at) : null;
    }

    private void queryLanguage(JsonNode node, String at) {
        JsonNode ql = node.get("QueryLanguage");
        if (ql == null) {
            return;
        }
        if ("JSONata".equals(ql.asText())) {
            problems.add(new Diagnostic(UNSUPPORTED, "The JSONata query language is not supported by the embedded engine;"
                    + " use JSONPath", at + "/QueryLanguage"));
        } else if (!"JSONPath".equals(ql.asText())) {
            schema("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", at + "/QueryLanguage");
        }
    }

    private void unknownFields(JsonNode node, Set<String> allowed, String at) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (allowed.contains(field)) {
                continue;
            }
            String refused = REFUSED_FIELDS.get(field);
            if (refused != null) {
                problems.add(new Diagnostic(UNSUPPORTED, refused, at + "/" + field));
            } else {
                schema("Field '" + field + "' is not supported", at + "/" + field);
            }
        }
    }

    private PathSpec pathSpec(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return PathSpec.ROOT;
        }
        if (value.isNull()) {
            return PathSpec.DISCARD;
        }
        String problem = value.isTextual() ? Paths.problem(value.asText()) : "it must be a STRING or null";
        if (problem != null) {
            schema("The value for the field '" + field + "' must be a valid JSONPath: " + problem, at + "/" + field);
            return PathSpec.ROOT;
        }
        return new PathSpec(value.asText());
    }

    private ResultSpec resultSpec(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return ResultSpec.ROOT;
        }
        if (value.isNull()) {
            return ResultSpec.DISCARD;
        }
        if (!value.isTextual()) {
            schema("The value for the field '" + field + "' must be a STRING or null", at + "/" + field);
            return ResultSpec.ROOT;
        }
        try {
            return new ResultSpec(ReferencePath.parse(value.asText()));
        } catch (IllegalArgumentException e) {
            schema("The value for the field '" + field + "' must be a valid Reference Path: " + e.getMessage(), at + "/" + field);
            return ResultSpec.ROOT;
        }
    }

    private JsonNode template(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            schema("The value for the field '" + field + "' must be an OBJECT", at + "/" + field);
            return null;
        }
        for (String problem : PayloadTemplate.problems(value, at + "/" + field)) {
            problems.add(diagnostic(SCHEMA, problem));
        }
        return value;
    }

    private String optionalPath(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        String problem = value.isTextual() ? Paths.problem(value.asText()) : "it must be a STRING";
        if (problem != null) {
            schema("The value for the field '" + field + "' must be a valid JSONPath: " + problem, at + "/" + field);
            return null;
        }
        return value.asText();
    }

    private String optionalPathOrIntrinsic(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value != null && value.isTextual() && value.asText().startsWith("States.")) {
            String problem = dev.gitops.engine.data.Intrinsics.problem(value.asText());
            if (problem != null) {
                schema("The value for the field '" + field + "' must be a valid intrinsic function call: " + problem,
                        at + "/" + field);
                return null;
            }
            return value.asText();
        }
        return optionalPath(node, field, at);
    }

    private String requiredString(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            schema("The field '" + field + "' is required and must be a non-empty STRING", at + "/" + field);
            return null;
        }
        return value.asText();
    }

    private String optionalString(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            schema("The field '" + field + "' must be a STRING", at + "/" + field);
            return null;
        }
        return value.asText();
    }

    private Integer positiveInt(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() <= 0) {
            schema("The field '" + field + "' must be a positive INTEGER", at + "/" + field);
            return null;
        }
        return value.asInt();
    }

    private Integer nonNegativeInt(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
            schema("The field '" + field + "' must be a non-negative INTEGER", at + "/" + field);
            return null;
        }
        return value.asInt();
    }

    private void schema(String message, String at) {
        problems.add(new Diagnostic(SCHEMA, message, at));
    }

    private static Diagnostic diagnostic(String code, String problemWithLocation) {
        int split = problemWithLocation.lastIndexOf(" at /");
        if (split < 0) {
            return new Diagnostic(code, problemWithLocation, "");
        }
        return new Diagnostic(code, problemWithLocation.substring(0, split), problemWithLocation.substring(split + 4));
    }

    /** Parses an RFC 3339 timestamp as ASL accepts it; null when the text is not one. */
    public static Instant timestamp(String text) {
        if (text == null || text.indexOf('T') < 0) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
