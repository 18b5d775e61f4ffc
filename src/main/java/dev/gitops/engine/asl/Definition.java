package dev.gitops.engine.asl;

import java.util.Map;

/** A parsed and validated state machine definition. Immutable; shared by every execution of one revision. */
public record Definition(String comment, String startAt, Map<String, State> states, Integer timeoutSeconds) {
    /** The top-level state machine. */
    public Machine machine() {
        return new Machine(startAt, states);
    }

    public State state(String name) {
        State state = states.get(name);
        if (state == null) {
            throw new IllegalStateException("no state named \"" + name + "\" in this definition");
        }
        return state;
    }
}
