package dev.gitops.engine.asl;

import java.util.List;
import java.util.stream.Collectors;

/** A definition with problems: all of them, not just the first. */
public class InvalidDefinitionException extends Exception {
    private final List<Diagnostic> diagnostics;

    public InvalidDefinitionException(List<Diagnostic> diagnostics) {
        super("Invalid State Machine Definition: " + diagnostics.stream()
                .map(d -> "'" + d + "'").collect(Collectors.joining(", ")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
