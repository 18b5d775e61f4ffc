package dev.gitops.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a failed step into a sentence for the execution's cause, Slack and the console: "plan failed in infra/vpc for
 * tst: <last lines of the log>". Reads the build's log when it is a local file (the local runner's); for CodeBuild's,
 * the sentence links the log.
 */
public final class BuildFailures {
    static final int TAIL_LINES = 15;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BuildFailures() {
    }

    /** @param error the Catch's {@code {"Error", "Cause"}} */
    public static String explain(JsonNode error, String dir, String environment) {
        String errorName = error.path("Error").asText("");
        String causeText = error.path("Cause").asText("");
        JsonNode build = null;
        try {
            JsonNode cause = MAPPER.readTree(causeText);
            if (cause != null && cause.isObject()) {
                build = cause.has("Build") ? cause.get("Build") : cause.has("BuildStatus") ? cause : null;
            }
        } catch (IOException notJson) {
            // a plain message
        }
        String where = " in " + dir + " for " + environment;
        if (build == null) {
            Failure failure = failure(errorName, causeText);
            return "the pipeline failed" + where + ": " + failure.name() + (failure.message().isEmpty() ? "" : ": " + failure.message());
        }
        String action = "build";
        for (JsonNode variable : build.path("Environment").path("EnvironmentVariables")) {
            if ("TF_ACTION".equals(variable.path("Name").asText())) {
                action = variable.path("Value").asText();
            }
        }
        String status = build.path("BuildStatus").asText("FAILED");
        String verb = switch (status) {
            case "TIMED_OUT" -> " timed out";
            case "STOPPED" -> " was stopped";
            default -> " failed";
        };
        String link = build.path("Logs").path("DeepLink").asText("");
        String tail = tail(link);
        if (tail != null) {
            return action + verb + where + ":\n" + tail;
        }
        return action + verb + where + " (build " + build.path("Id").asText() + "); log: " + link;
    }

    /** An error's name and sentence, whichever way it arrived. */
    public record Failure(String name, String message) {
    }

    /**
     * A function error as Step Functions hands it over: the cause is Lambda's {@code {"errorMessage", "errorType",
     * "stackTrace"}}. Locally the error is the function's own name ({@code LockLost}); in AWS it is a Java class and
     * the name leads the message ({@code "LockLost: ..."}, see {@code FunctionHandler}). Stack traces are dropped.
     */
    public static Failure failure(String error, String cause) {
        String message = cause == null ? "" : cause;
        try {
            JsonNode json = MAPPER.readTree(message);
            if (json != null && json.isObject() && json.has("errorMessage")) {
                message = json.path("errorMessage").asText();
            }
        } catch (IOException notJson) {
            // a plain sentence
        }
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("^([A-Z][A-Za-z]+): (.*)$", java.util.regex.Pattern.DOTALL)
                .matcher(message);
        if (error.contains(".") && !error.startsWith("States.") && named.matches()) {
            return new Failure(named.group(1), named.group(2));
        }
        return new Failure(error, message);
    }

    /** The last lines of a local log, without the runner's own bookkeeping; null when the log is not a local file. */
    static String tail(String link) {
        if (!link.startsWith("file:")) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(Path.of(URI.create(link)), StandardCharsets.UTF_8);
            List<String> kept = new ArrayList<>();
            for (String line : lines) {
                boolean bookkeeping = line.startsWith("[Container]") && !line.contains("_ERROR");
                if (!bookkeeping && !line.isBlank()) {
                    kept.add(line);
                }
            }
            return String.join("\n", kept.subList(Math.max(0, kept.size() - TAIL_LINES), kept.size()));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
