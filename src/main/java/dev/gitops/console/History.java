package dev.gitops.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.execution.PlanResult;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What an execution's event history says, as the console shows it: one row per event (AWS's event type names, the
 * state it happened in, a short detail), the states entered in order, the transitions taken, the builds (plan, apply)
 * and the plan's result. Task parameters are never shown: the approval task's carry its task token.
 */
public record History(List<Row> rows, List<String> entered, Set<String> transitions, List<Build> builds, PlanResult plan,
               String planBuild, String current) {
    static final int DETAIL = 400;

    /** One event. {@code anchor} is set on the first event of each state, which the diagram's boxes link to. */
    public record Row(long id, String timestamp, String type, String state, String detail, String anchor) {
    }

    /** A CodeBuild build one of the states ran: its state ({@code Plan}, {@code Apply}), id and log link as CodeBuild gave it. */
    public record Build(String state, String id, String deepLink, String status) {
    }

    static History of(List<HistoryEvent> events, boolean running, ObjectMapper mapper) {
        List<Row> rows = new ArrayList<>();
        List<String> entered = new ArrayList<>();
        Set<String> transitions = new LinkedHashSet<>();
        Set<String> anchored = new LinkedHashSet<>();
        List<Build> builds = new ArrayList<>();
        PlanResult plan = null;
        String planBuild = null;
        String state = null;
        boolean inside = false;
        for (HistoryEvent event : events) {
            String type = event.typeAsString();
            String detail = "";
            String anchor = null;
            if (event.stateEnteredEventDetails() != null) {
                String name = event.stateEnteredEventDetails().name();
                if (state != null) {
                    transitions.add(transition(state, name));
                }
                state = name;
                inside = true;
                entered.add(name);
                if (anchored.add(name)) {
                    anchor = "state-" + name;
                }
            } else if (event.stateExitedEventDetails() != null) {
                inside = false;
                if ("Plan".equals(event.stateExitedEventDetails().name())) {
                    JsonNode output = read(mapper, event.stateExitedEventDetails().output());
                    JsonNode result = output.path("plan").path("result");
                    if (result.isObject()) {
                        plan = mapper.convertValue(result, PlanResult.class);
                        planBuild = output.path("plan").path("buildId").asText(null);
                    }
                }
            } else if (event.taskScheduledEventDetails() != null) {
                detail = event.taskScheduledEventDetails().resourceType() + ":" + event.taskScheduledEventDetails().resource();
            } else if (event.taskSucceededEventDetails() != null) {
                build(state, event.taskSucceededEventDetails().resourceType(), read(mapper, event.taskSucceededEventDetails().output()), builds);
            } else if (event.taskFailedEventDetails() != null) {
                var failed = event.taskFailedEventDetails();
                build(state, failed.resourceType(), read(mapper, failed.cause()), builds);
                detail = cut(failed.error() + (failed.cause() == null ? "" : ": " + failed.cause()));
            } else if (event.taskTimedOutEventDetails() != null) {
                detail = cut(event.taskTimedOutEventDetails().error() + ": " + event.taskTimedOutEventDetails().cause());
            } else if (event.executionFailedEventDetails() != null) {
                detail = cut(event.executionFailedEventDetails().error() + ": " + event.executionFailedEventDetails().cause());
            } else if (event.executionAbortedEventDetails() != null) {
                detail = cut(event.executionAbortedEventDetails().error() + ": " + event.executionAbortedEventDetails().cause());
            } else if (event.executionTimedOutEventDetails() != null) {
                detail = cut(event.executionTimedOutEventDetails().error() + ": " + event.executionTimedOutEventDetails().cause());
            } else if (event.lambdaFunctionFailedEventDetails() != null) {
                detail = cut(event.lambdaFunctionFailedEventDetails().error() + ": " + event.lambdaFunctionFailedEventDetails().cause());
            }
            rows.add(new Row(event.id(), String.valueOf(event.timestamp()), type, state == null ? "" : state, detail, anchor));
        }
        String current = running && inside ? state : null;
        return new History(List.copyOf(rows), List.copyOf(entered), transitions, List.copyOf(builds), plan, planBuild, current);
    }

    static String transition(String from, String to) {
        return from + "\u0000" + to;
    }

    /** The last state entered (where an ended execution ended), or null. */
    String last() {
        return entered.isEmpty() ? null : entered.get(entered.size() - 1);
    }

    /** A CodeBuild task's result or failure cause: {@code {"Build": {...}}} or the build itself. */
    private static void build(String state, String resourceType, JsonNode json, List<Build> into) {
        if (!"codebuild".equals(resourceType)) {
            return;
        }
        JsonNode build = json.has("Build") ? json.get("Build") : json;
        String id = build.path("Id").asText(null);
        if (id != null) {
            into.add(new Build(state, id, build.path("Logs").path("DeepLink").asText(null), build.path("BuildStatus").asText(null)));
        }
    }

    private static JsonNode read(ObjectMapper mapper, String text) {
        if (text == null || !text.trim().startsWith("{")) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            return mapper.createObjectNode();
        }
    }

    private static String cut(String text) {
        return text.length() > DETAIL ? text.substring(0, DETAIL) + "…" : text;
    }
}
