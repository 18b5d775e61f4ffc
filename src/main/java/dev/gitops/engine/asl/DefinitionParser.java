package dev.gitops.engine.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Parses an Amazon States Language definition (JSONPath query language) and validates it as CreateStateMachine does,
 * reporting every problem at once: the top level and, the same way, each Parallel branch and Map item processor, whose
 * transitions stay inside their own state machine. Features the embedded engine does not implement are refused by name.
 */
public final class DefinitionParser {
    public static final String SCHEMA = "SCHEMA_VALIDATION_FAILED";
    public static final String MISSING_TARGET = "MISSING_TRANSITION_TARGET";
    public static final String UNREACHABLE = "UNREACHABLE_STATE";
    public static final String INVALID_JSON = "INVALID_JSON_DESCRIPTION";
    public static final String UNSUPPORTED = "UNSUPPORTED_BY_EMBEDDED_ENGINE";

    private static final Set<String> TOP_FIELDS = Set.of("Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage");
    private static final Set<String> BRANCH_FIELDS = Set.of("Comment", "StartAt", "States");
    private static final Set<String> PROCESSOR_FIELDS = Set.of("Comment", "StartAt", "States", "ProcessorConfig");
    private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Pass", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result"),
            "Task", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Resource",
                    "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Retry", "Catch"),
            "Choice", Set.of("Choices", "Default", "InputPath", "OutputPath"),
            "Wait", Set.of("Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"),
            "Succeed", Set.of("InputPath", "OutputPath"),
            "Fail", Set.of("Error", "ErrorPath", "Cause", "CausePath"),
            "Parallel", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Parameters",
                    "Branches", "Retry", "Catch"),
            "Map", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Retry", "Catch",
                    "ItemsPath", "ItemProcessor", "Iterator", "ItemSelector", "Parameters", "MaxConcurrency",
                    "MaxConcurrencyPath", "ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage",
                    "ToleratedFailurePercentagePath", "ItemReader", "ItemBatcher", "ResultWriter", "Label"));
    /** Fields of a Map state that only its DISTRIBUTED mode has. */
    private static final List<String> DISTRIBUTED_FIELDS = List.of("ItemReader", "ItemBatcher", "ResultWriter", "Label");

    private final Function<TaskResource, String> resourceCheck;
    private final FieldReader f = new FieldReader();
    /** Where each state name is defined (a JSON pointer), across every branch and item processor. */
    private final Map<String, String> names = new HashMap<>();

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
        f.unknownFields(root, TOP_FIELDS, "");
        f.queryLanguage(root, "");
        String comment = f.optionalString(root, "Comment", "");
        f.optionalString(root, "Version", "");
        Integer timeout = f.positiveInt(root, "TimeoutSeconds", "");
        Machine machine = machine(root, "");
        if (!f.problems.isEmpty()) {
            throw new InvalidDefinitionException(f.problems);
        }
        return new Definition(comment, machine.startAt(), machine.states(), timeout);
    }

    /** StartAt and States of a state machine (the top level, a branch, an item processor) at {@code at}. */
    private Machine machine(JsonNode node, String at) {
        String startAt = f.requiredString(node, "StartAt", at);
        JsonNode statesNode = node.get("States");
        Map<String, State> states = new LinkedHashMap<>();
        if (statesNode == null || !statesNode.isObject()) {
            f.schema("The field 'States' is required and must be an OBJECT", at + "/States");
        } else if (statesNode.isEmpty()) {
            f.schema("The field 'States' must contain at least one state", at + "/States");
        } else {
            Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                State state = state(e.getKey(), e.getValue(), at + "/States/" + e.getKey());
                if (state != null) {
                    states.put(e.getKey(), state);
                }
            }
            transitions(statesNode, startAt, at);
        }
        return new Machine(startAt, Collections.unmodifiableMap(states));
    }

    private State state(String name, JsonNode node, String at) {
        if (name.isEmpty() || name.length() > 80) {
            f.schema("State names must be 1 to 80 characters long", at);
        }
        String other = names.putIfAbsent(name, at);
        if (other != null) {
            f.schema("State names must be unique within the whole state machine, branches and item processors"
                    + " included; '" + name + "' is also the state at " + other, at);
        }
        if (!node.isObject()) {
            f.schema("A state must be an OBJECT", at);
            return null;
        }
        JsonNode typeNode = node.get("Type");
        if (typeNode == null || !typeNode.isTextual()) {
            f.schema("The field 'Type' is required and must be a STRING", at + "/Type");
            return null;
        }
        String type = typeNode.asText();
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            f.schema("The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]", at + "/Type");
            return null;
        }
        Set<String> fields = new HashSet<>(allowed);
        fields.addAll(COMMON);
        f.unknownFields(node, fields, at);
        f.queryLanguage(node, at);
        f.optionalString(node, "Comment", at);
        int before = f.problems.size();
        State state = switch (type) {
            case "Pass" -> new State.Pass(name, f.pathSpec(node, "InputPath", at), f.pathSpec(node, "OutputPath", at),
                    f.template(node, "Parameters", at), node.get("Result"), f.resultSpec(node, "ResultPath", at), f.next(node, at));
            case "Task" -> task(name, node, at);
            case "Choice" -> choice(name, node, at);
            case "Wait" -> waitState(name, node, at);
            case "Succeed" -> new State.Succeed(name, f.pathSpec(node, "InputPath", at), f.pathSpec(node, "OutputPath", at));
            case "Fail" -> fail(name, node, at);
            case "Parallel" -> parallel(name, node, at);
            case "Map" -> map(name, node, at);
            default -> null;
        };
        return f.problems.size() == before ? state : null;
    }

    private State.Task task(String name, JsonNode node, String at) {
        String resourceText = f.requiredString(node, "Resource", at);
        TaskResource resource = null;
        if (resourceText != null) {
            resource = TaskResource.parse(resourceText);
            if (resource == null) {
                if (resourceText.startsWith("arn:aws:states:") && resourceText.contains(":activity:")) {
                    f.problems.add(new Diagnostic(UNSUPPORTED, "Activities are not supported by the embedded engine: '"
                            + resourceText + "'", at + "/Resource"));
                } else if (resourceText.startsWith("arn:aws:lambda:")) {
                    f.problems.add(new Diagnostic(UNSUPPORTED, "Lambda function ARNs as Resource are not supported by the"
                            + " embedded engine: use 'arn:aws:states:::lambda:invoke' with FunctionName '" + resourceText + "'",
                            at + "/Resource"));
                } else {
                    f.schema("The resource provided " + resourceText + " is not recognized. The value is not a valid resource"
                            + " ARN, or the resource is not available in this region.", at + "/Resource");
                }
            } else {
                String problem = resourceCheck.apply(resource);
                if (problem != null) {
                    f.problems.add(new Diagnostic(UNSUPPORTED, problem, at + "/Resource"));
                }
            }
        }
        Integer timeout = f.positiveInt(node, "TimeoutSeconds", at);
        String timeoutPath = f.optionalPath(node, "TimeoutSecondsPath", at);
        Integer heartbeat = f.positiveInt(node, "HeartbeatSeconds", at);
        String heartbeatPath = f.optionalPath(node, "HeartbeatSecondsPath", at);
        if (node.has("TimeoutSeconds") && node.has("TimeoutSecondsPath")) {
            f.schema("Only one of 'TimeoutSeconds' and 'TimeoutSecondsPath' may be set", at);
        }
        if (node.has("HeartbeatSeconds") && node.has("HeartbeatSecondsPath")) {
            f.schema("Only one of 'HeartbeatSeconds' and 'HeartbeatSecondsPath' may be set", at);
        }
        if (heartbeat != null && heartbeat >= (timeout == null ? State.Task.DEFAULT_TIMEOUT_SECONDS : timeout)) {
            f.schema("The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'",
                    at + "/HeartbeatSeconds");
        }
        return new State.Task(name, f.pathSpec(node, "InputPath", at), f.pathSpec(node, "OutputPath", at), resource,
                f.template(node, "Parameters", at), f.template(node, "ResultSelector", at), f.resultSpec(node, "ResultPath", at),
                timeout, timeoutPath, heartbeat, heartbeatPath, f.retriers(node, at), f.catchers(node, at), f.next(node, at));
    }

    private State.Choice choice(String name, JsonNode node, String at) {
        JsonNode choices = node.get("Choices");
        List<State.Choice.Branch> branches = new ArrayList<>();
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            f.schema("The field 'Choices' is required and must be a non-empty ARRAY", at + "/Choices");
        } else {
            for (int i = 0; i < choices.size(); i++) {
                String ruleAt = at + "/Choices/" + i;
                JsonNode rule = choices.get(i);
                List<String> ruleProblems = new ArrayList<>();
                ChoiceRule parsed = rule.isObject() ? ChoiceRules.parse(rule, ruleAt, true, ruleProblems) : null;
                if (!rule.isObject()) {
                    f.schema("A choice rule must be an OBJECT", ruleAt);
                }
                for (String problem : ruleProblems) {
                    f.problems.add(FieldReader.diagnostic(SCHEMA, problem));
                }
                String next = rule.isObject() ? f.requiredString(rule, "Next", ruleAt) : null;
                if (parsed != null && next != null) {
                    branches.add(new State.Choice.Branch(parsed, next));
                }
            }
        }
        String defaultNext = f.optionalString(node, "Default", at);
        return new State.Choice(name, f.pathSpec(node, "InputPath", at), f.pathSpec(node, "OutputPath", at),
                List.copyOf(branches), defaultNext);
    }

    private State.Wait waitState(String name, JsonNode node, String at) {
        int set = 0;
        for (String field : List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")) {
            set += node.has(field) ? 1 : 0;
        }
        if (set != 1) {
            f.schema("A Wait state must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp' and 'TimestampPath'", at);
        }
        Integer seconds = null;
        if (node.has("Seconds")) {
            JsonNode s = node.get("Seconds");
            if (!s.canConvertToInt() || !s.isIntegralNumber() || s.asInt() < 0) {
                f.schema("The field 'Seconds' must be a non-negative INTEGER", at + "/Seconds");
            } else {
                seconds = s.asInt();
            }
        }
        Instant timestamp = null;
        if (node.has("Timestamp")) {
            String text = node.get("Timestamp").asText();
            timestamp = timestamp(text);
            if (timestamp == null || !node.get("Timestamp").isTextual()) {
                f.schema("The field 'Timestamp' must be an RFC3339 timestamp such as 2026-01-01T00:00:00Z", at + "/Timestamp");
            }
        }
        return new State.Wait(name, f.pathSpec(node, "InputPath", at), f.pathSpec(node, "OutputPath", at), seconds,
                f.optionalPath(node, "SecondsPath", at), timestamp, f.optionalPath(node, "TimestampPath", at), f.next(node, at));
    }

    private State.Fail fail(String name, JsonNode node, String at) {
        if (node.has("Error") && node.has("ErrorPath")) {
            f.schema("Only one of 'Error' and 'ErrorPath' may be set", at);
        }
        if (node.has("Cause") && node.has("CausePath")) {
            f.schema("Only one of 'Cause' and 'CausePath' may be set", at);
        }
        return new State.Fail(name, f.optionalString(node, "Error", at), f.optionalPathOrIntrinsic(node, "ErrorPath", at),
                f.optionalString(node, "Cause", at), f.optionalPathOrIntrinsic(node, "CausePath", at));
    }

    private State.Parallel parallel(String name, JsonNode node, String at) {
        JsonNode branchesNode = node.get("Branches");
        List<Machine> branches = new ArrayList<>();
        if (branchesNode == null || !branchesNode.isArray() || branchesNode.isEmpty()) {
            f.schema("The field 'Branches' is required and must be a non-empty ARRAY", at + "/Branches");
        } else {
            for (int i = 0; i < branchesNode.size(); i++) {
                String branchAt = at + "/Branches/" + i;
                JsonNode branch = branchesNode.get(i);
                if (!branch.isObject()) {
                    f.schema("A branch must be an OBJECT with 'StartAt' and 'States'", branchAt);
                    continue;
                }
                f.unknownFields(branch, BRANCH_FIELDS, branchAt);
                f.optionalString(branch, "Comment", branchAt);
                branches.add(machine(branch, branchAt));
            }
        }
        return new State.Parallel(name, f.pathSpec(node, "InputPath", at), f.pathSpec(node, "OutputPath", at),
                List.copyOf(branches), f.template(node, "Parameters", at), f.template(node, "ResultSelector", at),
                f.resultSpec(node, "ResultPath", at), f.retriers(node, at), f.catchers(node, at), f.next(node, at));
    }

    private State.Map map(String name, JsonNode node, String at) {
        for (String field : DISTRIBUTED_FIELDS) {
            if (node.has(field)) {
                f.refuse("'" + field + "' belongs to the DISTRIBUTED mode of the Map state, which is not supported by"
                        + " the embedded engine; it runs Map states inline", at + "/" + field);
            }
        }
        Machine processor = null;
        if (node.has("ItemProcessor") && node.has("Iterator")) {
            f.schema("Only one of 'ItemProcessor' and 'Iterator' may be set", at);
        } else if (node.has("ItemProcessor")) {
            processor = processor(node.get("ItemProcessor"), at + "/ItemProcessor", true);
        } else if (node.has("Iterator")) {
            processor = processor(node.get("Iterator"), at + "/Iterator", false);
        } else {
            f.schema("The field 'ItemProcessor' (or the legacy 'Iterator') is required", at + "/ItemProcessor");
        }
        if (node.has("ItemSelector") && node.has("Parameters")) {
            f.schema("Only one of 'ItemSelector' and 'Parameters' may be set", at);
        }
        JsonNode itemSelector = node.has("ItemSelector") ? f.template(node, "ItemSelector", at)
                : f.template(node, "Parameters", at);
        if (node.has("MaxConcurrency") && node.has("MaxConcurrencyPath")) {
            f.schema("Only one of 'MaxConcurrency' and 'MaxConcurrencyPath' may be set", at);
        }
        Integer maxConcurrency = f.nonNegativeInt(node, "MaxConcurrency", at);
        return new State.Map(name, f.pathSpec(node, "InputPath", at), f.pathSpec(node, "OutputPath", at), processor,
                f.optionalPath(node, "ItemsPath", at), itemSelector, maxConcurrency == null ? 0 : maxConcurrency,
                f.optionalPath(node, "MaxConcurrencyPath", at), tolerance(node, at), f.template(node, "ResultSelector", at),
                f.resultSpec(node, "ResultPath", at), f.retriers(node, at), f.catchers(node, at), f.next(node, at));
    }

    /** ItemProcessor (with its ProcessorConfig) or the legacy Iterator. */
    private Machine processor(JsonNode node, String at, boolean itemProcessor) {
        if (!node.isObject()) {
            f.schema("The field must be an OBJECT with 'StartAt' and 'States'", at);
            return null;
        }
        f.unknownFields(node, itemProcessor ? PROCESSOR_FIELDS : BRANCH_FIELDS, at);
        f.optionalString(node, "Comment", at);
        JsonNode config = node.get("ProcessorConfig");
        if (config != null) {
            processorConfig(config, at + "/ProcessorConfig");
        }
        return machine(node, at);
    }

    private void processorConfig(JsonNode config, String at) {
        if (!config.isObject()) {
            f.schema("The field 'ProcessorConfig' must be an OBJECT", at);
            return;
        }
        f.unknownFields(config, Set.of("Mode", "ExecutionType"), at);
        String mode = f.optionalString(config, "Mode", at);
        if ("DISTRIBUTED".equals(mode)) {
            f.refuse("The DISTRIBUTED mode of the Map state is not supported by the embedded engine; use"
                    + " \"Mode\": \"INLINE\"", at + "/Mode");
        } else if (mode != null && !"INLINE".equals(mode)) {
            f.schema("The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]", at + "/Mode");
        }
        if (config.has("ExecutionType") && !"DISTRIBUTED".equals(mode)) {
            f.schema("The field 'ExecutionType' is only allowed with \"Mode\": \"DISTRIBUTED\"", at + "/ExecutionType");
        }
    }

    private State.Map.Tolerance tolerance(JsonNode node, String at) {
        if (node.has("ToleratedFailureCount") && node.has("ToleratedFailureCountPath")) {
            f.schema("Only one of 'ToleratedFailureCount' and 'ToleratedFailureCountPath' may be set", at);
        }
        if (node.has("ToleratedFailurePercentage") && node.has("ToleratedFailurePercentagePath")) {
            f.schema("Only one of 'ToleratedFailurePercentage' and 'ToleratedFailurePercentagePath' may be set", at);
        }
        Double percentage = null;
        JsonNode p = node.get("ToleratedFailurePercentage");
        if (p != null) {
            if (!p.isNumber() || p.asDouble() < 0 || p.asDouble() > 100) {
                f.schema("The field 'ToleratedFailurePercentage' must be a NUMBER from 0 to 100",
                        at + "/ToleratedFailurePercentage");
            } else {
                percentage = p.asDouble();
            }
        }
        State.Map.Tolerance tolerance = new State.Map.Tolerance(f.nonNegativeInt(node, "ToleratedFailureCount", at),
                f.optionalPath(node, "ToleratedFailureCountPath", at), percentage,
                f.optionalPath(node, "ToleratedFailurePercentagePath", at));
        return tolerance.none() ? State.Map.Tolerance.NONE : tolerance;
    }

    private void transitions(JsonNode statesNode, String startAt, String base) {
        Set<String> names = new HashSet<>();
        statesNode.fieldNames().forEachRemaining(names::add);
        if (startAt != null && !names.contains(startAt)) {
            f.problems.add(new Diagnostic(MISSING_TARGET, "Missing 'StartAt' target: " + startAt, base + "/StartAt"));
        }
        Map<String, List<String>> edges = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = base + "/States/" + e.getKey();
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
                f.problems.add(new Diagnostic(UNREACHABLE, "State \"" + name + "\" is not reachable.", base + "/States/" + name));
            }
        }
    }

    private void target(JsonNode node, String field, Set<String> names, String at, List<String> targets) {
        JsonNode target = node == null ? null : node.get(field);
        if (target != null && target.isTextual()) {
            if (names.contains(target.asText())) {
                targets.add(target.asText());
            } else {
                f.problems.add(new Diagnostic(MISSING_TARGET, "Missing '" + field + "' target: " + target.asText(), at));
            }
        }
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
