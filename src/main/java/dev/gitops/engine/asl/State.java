package dev.gitops.engine.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/** One state of a definition. Each type carries exactly the fields AWS allows it. */
public sealed interface State {
    /** The states that handle their own errors with Retry and Catch: Task, Map and Parallel. */
    sealed interface Recoverable extends State permits Task, Map, Parallel {
        List<Retrier> retry();

        List<Catcher> catchers();

        /** The ResultSelector applied to the state's result, or null. */
        JsonNode resultSelector();

        ResultSpec resultPath();
    }

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
                String next) implements Recoverable {
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

    /** Runs each branch, a state machine of its own, on the same input; the output is the array of their outputs. */
    record Parallel(String name, PathSpec inputPath, PathSpec outputPath, List<Machine> branches, JsonNode parameters,
                    JsonNode resultSelector, ResultSpec resultPath, List<Retrier> retry, List<Catcher> catchers,
                    String next) implements Recoverable {
        public String type() {
            return "Parallel";
        }
    }

    /**
     * Runs its item processor (inline) once for each element of an array; the output is the array of their outputs.
     *
     * @param itemSelector ItemSelector, or the legacy Parameters, evaluated per item with {@code $$.Map.Item}; or null
     * @param maxConcurrency 0 when unbounded; ignored when {@code maxConcurrencyPath} is set
     */
    record Map(String name, PathSpec inputPath, PathSpec outputPath, Machine processor, String itemsPath,
               JsonNode itemSelector, int maxConcurrency, String maxConcurrencyPath, Tolerance tolerance,
               JsonNode resultSelector, ResultSpec resultPath, List<Retrier> retry, List<Catcher> catchers,
               String next) implements Recoverable {
        public String type() {
            return "Map";
        }

        /**
         * ToleratedFailureCount and ToleratedFailurePercentage, literal or by path; all null when the Map tolerates
         * no failure (then the first failed iteration fails the state with its own error).
         */
        public record Tolerance(Integer count, String countPath, Double percentage, String percentagePath) {
            public static final Tolerance NONE = new Tolerance(null, null, null, null);

            public boolean none() {
                return count == null && countPath == null && percentage == null && percentagePath == null;
            }
        }
    }
}
