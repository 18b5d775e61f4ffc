package dev.gitops.engine.asl;

import java.util.Map;

/**
 * A state machine's states and where it starts: the top level of a definition, one branch of a Parallel state, or the
 * item processor of a Map state. Transitions stay inside one machine.
 */
public record Machine(String startAt, Map<String, State> states) {
    public State state(String name) {
        State state = states.get(name);
        if (state == null) {
            throw new IllegalStateException("no state named \"" + name + "\" in this state machine");
        }
        return state;
    }
}
