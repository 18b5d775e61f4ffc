package dev.gitops.engine.asl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Paths;
import dev.gitops.engine.data.StatesErrors;
import dev.gitops.engine.data.StatesException;


/** A Variable or ...Path operand of a Choice rule: a compiled {@link Paths} path that fails as Choice must. */
final class ChoicePath {
    private final Paths.Compiled path;

    private ChoicePath(Paths.Compiled path) {
        this.path = path;
    }

    /** Expects a path {@link Paths#problem} accepts. */
    static ChoicePath of(String text) {
        return new ChoicePath(Paths.compile(text));
    }

    String text() {
        return path.text();
    }

    /** The value at the path, or null when nothing is there. */
    JsonNode read(JsonNode input, JsonNode contextObject) {
        return path.read(input, contextObject);
    }

    /** The value at the path; fails with States.Runtime when nothing is there. */
    JsonNode require(JsonNode input, JsonNode contextObject) {
        JsonNode value = read(input, contextObject);
        if (value == null) {
            throw new StatesException(StatesErrors.RUNTIME,
                    "Invalid path '" + text() + "': The choice state's condition path references an invalid value.");
        }
        return value;
    }
}
