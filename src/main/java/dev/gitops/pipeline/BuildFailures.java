package dev.gitops.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.runtime.Json;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed step into a sentence for the execution's cause, Slack and the console: "plan failed in infra/vpc for
 * tst: <last lines of the log>". Reads the build's log when it is a local file (the local runner's); for CodeBuild's,
 * the sentence links the log.
 */
@Singleton
public class BuildFailures {
    static final int TAIL_LINES = 15;
    private static final Pattern NAMED = Pattern.compile("^([A-Z][A-Za-z]+): (.*)$", Pattern.DOTALL);

    /** A Catch's {@code {"Error", "Cause"}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Caught(@JsonProperty("Error") String error, @JsonProperty("Cause") String cause) {
    }

    /** An error's name and sentence, whichever way it arrived. */
    public record Failure(String name, String message) {
    }

    /** The parts of CodeBuild's {@code Build} (the cause of a failed {@code startBuild.sync}) a sentence needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Build(@JsonProperty("Id") String id, @JsonProperty("BuildStatus") String status,
                 @JsonProperty("Logs") Logs logs, @JsonProperty("Environment") BuildEnvironment environment) {
        /** {@code TF_ACTION}'s value: plan or apply. */
        String action() {
            if (environment != null && environment.variables() != null) {
                for (Variable variable : environment.variables()) {
                    if ("TF_ACTION".equals(variable.name())) {
                        return variable.value();
                    }
                }
            }
            return "build";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Logs(@JsonProperty("DeepLink") String deepLink) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BuildEnvironment(@JsonProperty("EnvironmentVariables") List<Variable> variables) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Variable(@JsonProperty("Name") String name, @JsonProperty("Value") String value) {
    }

    /** A cause that holds a build: {@code {"Build": {...}}} or the build itself. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record BuildCause(@JsonProperty("Build") Build build, @JsonProperty("BuildStatus") String status) {
    }

    /** Lambda's error object: {@code {"errorMessage", "errorType", "stackTrace"}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record LambdaError(String errorMessage, String errorType) {
    }

    private final ObjectMapper mapper;

    public BuildFailures(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The failure's sentence: "plan failed in infra/vpc for tst: ..." or "the pipeline failed in ...: LockLost: ...". */
    public String explain(Caught error, String dir, String environment) {
        Build build = build(error.cause());
        String where = " in " + dir + " for " + environment;
        if (build == null) {
            Failure failure = failure(error.error(), error.cause());
            return "the pipeline failed" + where + ": " + failure.name() + (failure.message().isEmpty() ? "" : ": " + failure.message());
        }
        String verb = switch (build.status() == null ? "FAILED" : build.status()) {
            case "TIMED_OUT" -> " timed out";
            case "STOPPED" -> " was stopped";
            default -> " failed";
        };
        String link = build.logs() == null || build.logs().deepLink() == null ? "" : build.logs().deepLink();
        String tail = tail(link);
        if (tail != null) {
            return build.action() + verb + where + ":\n" + tail;
        }
        return build.action() + verb + where + " (build " + build.id() + "); log: " + link;
    }

    /** The error's name: a build's failure is PlanFailed, ApplyFailed or BuildFailed; else the function's own name. */
    public String name(Caught error, String sentence) {
        if (build(error.cause()) != null) {
            return sentence.startsWith("plan") ? "PlanFailed" : sentence.startsWith("apply") ? "ApplyFailed" : "BuildFailed";
        }
        return failure(error.error() == null ? "Failed" : error.error(), error.cause()).name();
    }

    /**
     * A function error as Step Functions hands it over: the cause is Lambda's {@code {"errorMessage", "errorType",
     * "stackTrace"}}. Locally the error is the function's own name ({@code LockLost}); in AWS it is a Java class and
     * the name leads the message ({@code "LockLost: ..."}, see {@code FunctionHandler}). Stack traces are dropped.
     */
    public Failure failure(String error, String cause) {
        String message = cause == null ? "" : cause;
        LambdaError lambda = read(message, LambdaError.class);
        if (lambda != null && lambda.errorMessage() != null) {
            message = lambda.errorMessage();
        }
        String name = error == null ? "" : error;
        Matcher named = NAMED.matcher(message);
        if (name.contains(".") && !name.startsWith("States.") && named.matches()) {
            return new Failure(named.group(1), named.group(2));
        }
        return new Failure(name, message);
    }

    private Build build(String cause) {
        BuildCause parsed = read(cause, BuildCause.class);
        if (parsed == null) {
            return null;
        }
        if (parsed.build() != null) {
            return parsed.build();
        }
        return parsed.status() != null ? read(cause, Build.class) : null;
    }

    /** A JSON object as {@code type}; null when the text is not one. */
    private <T> T read(String text, Class<T> type) {
        return text == null || !text.trim().startsWith("{") ? null : Json.readOrNull(mapper, text, type);
    }

    /** How much of the end of a log is read: enough for its last lines, however long the log. */
    static final int TAIL_BYTES = 64 * 1024;
    /** A line of the tail is cut here (a build can print one enormous line). */
    static final int TAIL_LINE = 500;

    /**
     * The last lines of a local log, without the runner's own bookkeeping; null when the log is not a local file. Only
     * the log's last {@link #TAIL_BYTES} are read.
     */
    static String tail(String link) {
        if (!link.startsWith("file:")) {
            return null;
        }
        try (SeekableByteChannel file = Files.newByteChannel(Path.of(URI.create(link)))) {
            long size = file.size();
            ByteBuffer end = ByteBuffer.allocate((int) Math.min(size, TAIL_BYTES));
            file.position(size - end.capacity());
            while (end.hasRemaining() && file.read(end) >= 0) {
                // fill the buffer
            }
            List<String> lines = new ArrayList<>(new String(end.array(), 0, end.position(), StandardCharsets.UTF_8).lines().toList());
            if (size > TAIL_BYTES && !lines.isEmpty()) {
                lines.remove(0); // begun in the middle
            }
            List<String> kept = new ArrayList<>();
            for (String whole : lines) {
                String line = whole.length() > TAIL_LINE ? whole.substring(0, TAIL_LINE) + "…" : whole;
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
