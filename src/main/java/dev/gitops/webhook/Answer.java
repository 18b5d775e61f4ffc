package dev.gitops.webhook;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.changes.Detection;
import dev.gitops.execution.ExecutionInput;

import java.util.List;

/** What the webhook answers, in DESIGN.md's shapes: each answer is its JSON body and knows its HTTP status. */
public sealed interface Answer permits Answer.Pong, Answer.Final, Answer.Accepted, Answer.Failure,
        Answer.PartialStart, Answer.Replayed {

    @JsonIgnore
    int status();

    /** Whether this answer is final and is replayed to a redelivery. */
    @JsonIgnore
    default boolean recordable() {
        return false;
    }

    /** 200 {@code {"pong": true}} for a ping. */
    record Pong(boolean pong) implements Answer {
        static Pong of() {
            return new Pong(true);
        }

        @Override
        public int status() {
            return 200;
        }
    }

    /** A final 202: the delivery's outcome, recorded and replayed to a redelivery. */
    sealed interface Final extends Answer permits Ignored, Started {
        @Override
        default int status() {
            return 202;
        }

        @Override
        default boolean recordable() {
            return true;
        }
    }

    /**
     * 202: nothing to do, with a code ({@code tag}, {@code unmapped-branch}, ...) and a sentence saying why; for
     * {@code no-stack-changed}, also the directories the push touched that belong to other environments.
     */
    record Ignored(String delivery, String ignored, String detail,
                   @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Detection.Skipped> skipped) implements Final, Routed {
        Ignored(String delivery, String ignored, String detail) {
            this(delivery, ignored, detail, List.of());
        }
    }

    /** 202: change detection outran the sync budget; the work goes on after the answer. */
    record Accepted(String delivery, boolean accepted) implements Answer {
        static Accepted of(String delivery) {
            return new Accepted(delivery, true);
        }

        @Override
        public int status() {
            return 202;
        }
    }

    /**
     * 202: the changed stacks and their executions (started now, or before for a redelivery), and the directories the
     * push touched that do not run in this environment.
     *
     * @param duplicateOf the delivery that started these executions, when this one carried the same push again
     */
    record Started(String delivery, String event, String environment, String sha, ExecutionInput.Mode mode, List<Stack> stacks,
                   List<Detection.Skipped> skipped, List<Execution> executions,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String duplicateOf) implements Final {
    }

    /** A stack in a {@link Started} answer and why it runs. */
    record Stack(String name, String dir, List<String> reasons) {
    }

    /** An execution in an answer. */
    record Execution(String name, String executionArn) {
    }

    /** An error: {@code {"error": "<code>", "message": "<sentence>"}} with its 4xx or 5xx status. */
    record Failure(@JsonIgnore int status, String error, String message) implements Answer {
    }

    /** 502: some executions could not be started; those that were are listed, and a redelivery starts the rest. */
    record PartialStart(String error, String message, String delivery, List<Execution> executions,
                        @JsonIgnore boolean uncertain) implements Answer {
        /** Nothing of it is in doubt: what did not start was refused. */
        PartialStart(String error, String message, String delivery, List<Execution> executions) {
            this(error, message, delivery, executions, false);
        }

        @Override
        public int status() {
            return 502;
        }
    }

    /** 202: the answer recorded for this delivery, given again as it was. */
    record Replayed(@JsonValue JsonNode body) implements Answer {
        @Override
        public int status() {
            return 202;
        }
    }
}
