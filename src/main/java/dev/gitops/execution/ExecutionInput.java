package dev.gitops.execution;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.gitops.runtime.WireNames;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * The input of one pipeline execution (DESIGN.md's contract): repository, clone URL (never with a token in it: history
 * is readable), ref, branch, sha, before, environment, mode, stack, lockId, trigger and approval, and the source
 * archive the builds start from. Deterministic for one delivery (no arrival times), so that a redelivery's
 * StartExecution finds the execution it started.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecutionInput(String repository, String cloneUrl, String ref, String branch, String sha, String before,
                             String environment, Mode mode, Stack stack, String lockId, Trigger trigger, Gate approval,
                             Source source) {

    /** {@code apply} deploys after approval; {@code plan} (pull requests) plans only and takes no lock. */
    public enum Mode {
        APPLY, PLAN;

        @JsonValue
        public String wire() {
            return WireNames.of(this);
        }

        /** The mode an input names; null for another (an input of another state machine). */
        @JsonCreator
        public static Mode named(String text) {
            return WireNames.named(Mode.class, text);
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

    /**
     * The commit's tree as a zip the builds start from (CodeBuild's S3 source), written by the controller from the
     * mirror it diffed.
     *
     * @param location where CodeBuild reads it ({@code SourceLocationOverride}: {@code bucket/key}; locally the file)
     * @param url      the same as a URL ({@code s3://bucket/key}; locally the file), for the build's own check
     * @param sha256   the zip's sha256: a build refuses any other
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(String location, String url, String sha256) {
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

    /**
     * An execution's input as far as it can be read: the whole record, or, when some field does not fit (an execution
     * started by hand with another shape), the fields that do, so that its lock is still released and it still lists.
     * Null when the text is not a JSON object.
     */
    public static ExecutionInput readLeniently(ObjectMapper mapper, String text) {
        if (text == null) {
            return null;
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (tree == null || !tree.isObject()) {
            return null;
        }
        try {
            return mapper.treeToValue(tree, ExecutionInput.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            JsonNode stack = tree.path("stack");
            return new ExecutionInput(text(tree, "repository"), text(tree, "cloneUrl"), text(tree, "ref"),
                    text(tree, "branch"), text(tree, "sha"), text(tree, "before"), text(tree, "environment"),
                    Mode.named(text(tree, "mode")), stack.isObject() ? new Stack(text(stack, "name"), text(stack, "dir"),
                    text(stack, "backendConfig"), text(stack, "varFile")) : null, text(tree, "lockId"), null, null, null);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
