package dev.gitops.engine.asl;

/** One problem with a definition: an AWS-style code, a sentence, and the JSON pointer where it is. */
public record Diagnostic(String code, String message, String location) {
    @Override
    public String toString() {
        return code + ": " + message + (location == null || location.isEmpty() ? "" : " at " + location);
    }
}
