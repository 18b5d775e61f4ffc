package dev.gitops.engine.asl;

import dev.gitops.engine.data.ReferencePath;

/** ResultPath: where a state's result goes in its input, or JSON {@code null} (result discarded, input passed on). */
public record ResultSpec(ReferencePath path) {
    public static final ResultSpec ROOT = new ResultSpec(ReferencePath.parse("$"));
    public static final ResultSpec DISCARD = new ResultSpec(null);

    public boolean discards() {
        return path == null;
    }
}
