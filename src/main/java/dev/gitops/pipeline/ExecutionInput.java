package dev.gitops.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.changes.StackChange;
import dev.gitops.routing.Environment;

/**
 * The input of one pipeline execution: repository, clone URL (never with a token: history is readable), ref, branch,
 * sha, before, environment, mode ({@code apply} or {@code plan}), stack, lockId, trigger and approval. Deterministic
 * for one delivery, so that a redelivery's StartExecution finds the same execution.
 */
public final class ExecutionInput {
    /** Commit messages are cut here: the input must stay far below Step Functions' 256 KiB. */
    static final int MAX_MESSAGE = 2000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ExecutionInput() {
    }

    /** {@code <owner>/<repo>/<stack dir>/<env>}: one lock per stack and environment. */
    public static String lockId(String repository, String stackDir, String environment) {
        return repository + "/" + stackDir + "/" + environment;
    }

    public static ObjectNode of(String repository, String cloneUrl, String ref, String branch, String sha, String before,
                                Environment environment, boolean planOnly, StackChange stack, Trigger trigger) {
        ObjectNode input = MAPPER.createObjectNode();
        input.put("repository", repository);
        input.put("cloneUrl", cloneUrl);
        input.put("ref", ref);
        input.put("branch", branch);
        input.put("sha", sha);
        input.put("before", before);
        input.put("environment", environment.name());
        input.put("mode", planOnly ? "plan" : "apply");
        ObjectNode s = input.putObject("stack");
        s.put("name", stack.name());
        s.put("dir", stack.dir());
        // "" rather than null when the commit has none: CodeBuild takes only strings as variable values.
        s.put("backendConfig", stack.backendConfig() == null ? "" : stack.backendConfig());
        s.put("varFile", stack.varFile() == null ? "" : stack.varFile());
        input.put("lockId", lockId(repository, stack.dir(), environment.name()));
        ObjectNode t = input.putObject("trigger");
        t.put("event", trigger.event());
        t.put("delivery", trigger.delivery());
        t.put("sender", trigger.sender());
        t.put("compareUrl", trigger.compareUrl());
        String message = trigger.message();
        t.put("message", message != null && message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message);
        t.put("forced", trigger.forced());
        if (trigger.pullRequest() != null) {
            t.put("pullRequest", trigger.pullRequest());
        }
        ObjectNode approval = input.putObject("approval");
        approval.put("required", environment.approvalRequired() && !planOnly);
        approval.put("timeoutSeconds", environment.approvalTimeout().toSeconds());
        return input;
    }
}
