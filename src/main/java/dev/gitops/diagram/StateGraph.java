package dev.gitops.diagram;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A state machine's states and the transitions between them, read from its Amazon States Language definition (the
 * JSON that DescribeStateMachine answers): {@code Next}, a Choice's rules and {@code Default}, and {@code Catch}. Reads
 * only what drawing needs; a definition is never executed here (that is the engine's or Step Functions' business).
 */
public record StateGraph(List<State> states, List<Transition> transitions, String startAt) {

    /** A state: its name, its ASL type, and whether an execution can end there. */
    public record State(String name, String type, boolean end) {
    }

    /** How one state leads to another. */
    public enum Kind {
        /** {@code Next}, a Choice's rule or its {@code Default}. */
        NEXT,
        /** A {@code Catch}: the way an error takes. */
        CATCH
    }

    public record Transition(String from, String to, Kind kind) {
    }

    /** The graph of a definition's top level; an unreadable definition gives an empty graph. */
    public static StateGraph of(JsonNode definition) {
        JsonNode states = definition == null ? null : definition.get("States");
        if (states == null || !states.isObject()) {
            return new StateGraph(List.of(), List.of(), null);
        }
        Map<String, State> byName = new LinkedHashMap<>();
        Set<Transition> transitions = new LinkedHashSet<>();
        states.fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            JsonNode state = entry.getValue();
            String type = state.path("Type").asText("");
            boolean end = state.path("End").asBoolean(false) || type.equals("Succeed") || type.equals("Fail");
            byName.put(name, new State(name, type, end));
            next(name, state.path("Next"), Kind.NEXT, transitions);
            next(name, state.path("Default"), Kind.NEXT, transitions);
            for (JsonNode rule : state.path("Choices")) {
                next(name, rule.path("Next"), Kind.NEXT, transitions);
            }
            for (JsonNode catcher : state.path("Catch")) {
                next(name, catcher.path("Next"), Kind.CATCH, transitions);
            }
        });
        List<Transition> kept = new ArrayList<>();
        Set<String> pairs = new LinkedHashSet<>();
        for (Transition t : transitions) {
            // one edge per pair of states (a Next and a Catch to the same state are drawn once, as the Next)
            if (byName.containsKey(t.to()) && pairs.add(t.from() + "\u0000" + t.to())) {
                kept.add(t);
            }
        }
        return new StateGraph(List.copyOf(byName.values()), List.copyOf(kept), definition.path("StartAt").asText(null));
    }

    private static void next(String from, JsonNode to, Kind kind, Set<Transition> into) {
        if (to != null && to.isTextual()) {
            into.add(new Transition(from, to.asText(), kind));
        }
    }
}
