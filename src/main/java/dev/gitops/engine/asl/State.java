package dev.gitops.engine.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/** One state of a definition. Each type carries exactly the fields AWS allows it. */
public sealed interface State {
    String name();

    /** The Type as written ("Task", "Pass", ...), also the prefix of its history events. */
    String type();

    PathSpec inputPath();

    PathSpec outputPath();

    /** The state to go to next, or null when the state ends the execution (End, Succeed, Fail) or is a Choice. */
    String next();

    record Pass(String name, PathSpec inputPath, PathSpec outputPath, JsonNode parameters, JsonNode result,
                ResultSpec resultPath, String next) implements State {
        public String type() {
            return "Pass";
        }
    }

    record Task(String name, PathSpec inputPath, PathSpec outputPath, TaskResource resource, JsonNode parameters,
                JsonNode resultSelector, ResultSpec resultPath, Integer timeoutSeconds, String timeoutSecondsPath,
                Integer heartbeatSeconds, String heartbeatSecondsPath, List<Retrier> retry, List<Catcher> catchers,
                String next) implements State {
        /** AWS's default when a Task names no timeout. */
        public static final int DEFAULT_TIMEOUT_SECONDS = 99_999_999;

        public String type() {
            return "Task";
        }
    }

    record Choice(String name, PathSpec inputPath, PathSpec outputPath, List<Branch> choices, String defaultNext)
            implements State {
        public record Branch(ChoiceRule rule, String next) {
        }

        public String type() {
            return "Choice";
        }

        public String next() {
            return null;
        }
    }

    record Wait(String name, PathSpec inputPath, PathSpec outputPath, Integer seconds, String secondsPath,
                Instant timestamp, String timestampPath, String next) implements State {
        public String type() {
            return "Wait";
        }
    }

    record Succeed(String name, PathSpec inputPath, PathSpec outputPath) implements State {
        public String type() {
            return "Succeed";
        }

        public String next() {
            return null;
        }
    }

    record Fail(String name, String error, String errorPath, String cause, String causePath) implements State {
        public String type() {
            return "Fail";
        }

        public PathSpec inputPath() {
            return PathSpec.ROOT;
        }

        public PathSpec outputPath() {
            return PathSpec.ROOT;
        }

        public String next() {
            return null;
        }
    }
}
