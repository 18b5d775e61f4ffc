package dev.gitops.comments;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.gitops.runtime.WireNames;

/**
 * One stack's part of a pull request's plan comment, as kept in the comment's item: which execution planned it, for
 * which commit, how it went and where its plan's text is.
 *
 * @param execution the execution's name
 * @param error     a failed plan's sentence (the execution's cause), or null
 */
public record StackPlan(String stack, String dir, Status status, String sha, String execution, int add, int change,
                        int destroy, String planLocation, String planTextSha256, String error, String at) {

    /** How the stack's plan stands. */
    public enum Status {
        PLANNING, PLANNED, NO_CHANGES, FAILED;

        @JsonValue
        public String wire() {
            return WireNames.of(this);
        }
    }
}
