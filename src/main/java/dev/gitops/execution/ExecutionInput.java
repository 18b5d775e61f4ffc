package dev.gitops.execution;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The input of one pipeline execution (DESIGN.md's contract): repository, clone URL (never with a token in it: history
 * is readable), ref, branch, sha, before, environment, mode, stack, lockId, trigger and approval. Deterministic for one
 * delivery (no arrival times), so that a redelivery's StartExecution finds the execution it started.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecutionInput(String repository, String cloneUrl, String ref, String branch, String sha, String before,
                             String environment, Mode mode, Stack stack, String lockId, Trigger trigger, Gate approval) {

    /** {@code apply} deploys after approval; {@code plan} (pull requests) plans only and takes no lock. */
    public enum Mode {
        APPLY, PLAN;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode an input names; null for another (an input of another state machine). */
        @JsonCreator
        public static Mode named(String text) {
            for (Mode mode : values()) {
                if (mode.wire().equals(text)) {
                    return mode;
                }
            }
            return null;
        }
    }

    /**
     * The stack in this environment. Backend config and var file are "" rather than null when the commit has none:
     * CodeBuild takes only strings as variable values.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Stack(String name, String dir, String backendConfig, String varFile) {
        public Stack {
            backendConfig = backendConfig == null ? "" : backendConfig;
            varFile = varFile == null ? "" : varFile;
        }
    }

    /**
     * What caused the run, as recorded (never an arrival time).
     *
     * @param forced      a forced push (it may supersede an approval on its own branch)
     * @param pullRequest the pull request's number; absent for a push
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Trigger(String event, String delivery, String sender, String compareUrl, String message, boolean forced,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer pullRequest) {
        /** Commit messages are cut here: the input must stay far below Step Functions' 256 KiB. */
        static final int MAX_MESSAGE = 2000;

        /** A trigger whose commit message is cut to {@link #MAX_MESSAGE} characters. */
        public static Trigger of(String event, String delivery, String sender, String compareUrl, String message,
                                 boolean forced, Integer pullRequest) {
            String cut = message != null && message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
            return new Trigger(event, delivery, sender, compareUrl, cut, forced, pullRequest);
        }
    }

    /** Whether a person must approve before Apply, and for how long the approval waits. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Gate(boolean required, long timeoutSeconds) {
    }

    /** {@code <owner>/<repo>/<stack dir>/<env>}: one lock per stack and environment. */
    public static String lockId(String repository, String stackDir, String environment) {
        return repository + "/" + stackDir + "/" + environment;
    }

    public boolean planOnly() {
        return mode == Mode.PLAN;
    }
}
