package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.asl.Catcher;
import dev.gitops.engine.asl.DefinitionParser;
import dev.gitops.engine.asl.PathSpec;
import dev.gitops.engine.asl.ResultSpec;
import dev.gitops.engine.asl.Retrier;
import dev.gitops.engine.asl.State;
import dev.gitops.engine.data.Intrinsics;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.data.PayloadTemplate;
import dev.gitops.engine.data.Paths;
import dev.gitops.engine.data.StatesErrors;
import dev.gitops.engine.data.StatesException;

import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What each state type does with its data: InputPath, Parameters, ResultSelector, ResultPath and OutputPath, the
 * Choice and Wait decisions, and which Retrier or Catcher handles an error. It moves nothing: the {@link Interpreter}
 * records events and moves between states.
 */
final class StateExecutor {
    /** Where a state leaves: the next state (null ends the execution successfully) and the state's output. */
    record Transition(String next, JsonNode output) {
    }

    /** What a Task does about an error. */
    sealed interface ErrorDecision {
        record Retry(int retrier, long delayMillis) implements ErrorDecision {
        }

        record Catch(String next, JsonNode output) implements ErrorDecision {
        }

        record Fail(String error, String cause) implements ErrorDecision {
        }
    }

    /** A Task ready to run: the resolved Parameters and limits. */
    record TaskCall(JsonNode parameters, int timeoutSeconds, Integer heartbeatSeconds) {
    }

    private final RandomGenerator random;

    StateExecutor(RandomGenerator random) {
        this.random = random;
    }

    JsonNode effectiveInput(Execution x, State state) {
        return select(x, state.inputPath(), x.stateInput, "InputPath");
    }

    JsonNode output(Execution x, State state, JsonNode value) {
        return select(x, state.outputPath(), value, "OutputPath");
    }

    private JsonNode select(Execution x, PathSpec spec, JsonNode value, String field) {
        if (spec.discards()) {
            return Json.object();
        }
        if (spec.isRoot()) {
            return value;
        }
        JsonNode selected = Paths.read(spec.path(), value, x.context(null));
        if (selected == null) {
            throw new StatesException(StatesErrors.RUNTIME, "An error occurred while executing the state '" + x.stateName
                    + "' (entered at the event id #" + x.enteredEventId + "). Invalid path '" + spec.path() + "' in "
                    + field + ": nothing is there in " + Json.abbreviate(value));
        }
        return selected;
    }

    static JsonNode applyResult(ResultSpec spec, JsonNode rawInput, JsonNode result) {
        if (spec.discards()) {
            return rawInput;
        }
        return spec.path().write(rawInput, result);
    }

    Transition pass(Execution x, State.Pass pass) {
        JsonNode effective = effectiveInput(x, pass);
        if (pass.parameters() != null) {
            effective = PayloadTemplate.evaluate(pass.parameters(), effective, x.context(null));
        }
        JsonNode result = pass.result() != null ? pass.result() : effective;
        return new Transition(pass.next(), output(x, pass, applyResult(pass.resultPath(), x.stateInput, result)));
    }

    Transition choice(Execution x, State.Choice choice) {
        JsonNode effective = effectiveInput(x, choice);
        ObjectNode context = x.context(null);
        String next = null;
        for (State.Choice.Branch branch : choice.choices()) {
            if (branch.rule().evaluate(effective, context)) {
                next = branch.next();
                break;
            }
        }
        if (next == null) {
            next = choice.defaultNext();
        }
        if (next == null) {
            throw new StatesException(StatesErrors.NO_CHOICE_MATCHED, "No Matches! No choice rule of state '" + choice.name()
                    + "' matched the input " + Json.abbreviate(effective) + " and it has no Default.");
        }
        return new Transition(next, output(x, choice, effective));
    }

    Transition succeed(Execution x, State.Succeed succeed) {
        return new Transition(null, output(x, succeed, effectiveInput(x, succeed)));
    }

    /** The error and cause a Fail state ends the execution with. */
    StatesException fail(Execution x, State.Fail fail) {
        String error = fail.errorPath() != null ? dynamic(x, fail.errorPath(), "ErrorPath") : fail.error();
        String cause = fail.causePath() != null ? dynamic(x, fail.causePath(), "CausePath") : fail.cause();
        return new StatesException(error, cause);
    }

    private String dynamic(Execution x, String expression, String field) {
        JsonNode value = Intrinsics.isIntrinsic(expression)
                ? Intrinsics.evaluate(expression, x.stateInput, x.context(null))
                : Paths.read(expression, x.stateInput, x.context(null));
        if (value == null || !value.isTextual()) {
            throw new StatesException(StatesErrors.RUNTIME, "The " + field + " '" + expression + "' of state '" + x.stateName
                    + "' must resolve to a string, but resolved to " + Json.typeName(value) + ".");
        }
        return value.asText();
    }

    /** When a Wait state ends, computed from the time the state was entered (so a restart does not restart the wait). */
    Instant waitUntil(Execution x, State.Wait wait) {
        JsonNode effective = effectiveInput(x, wait);
        if (wait.seconds() != null) {
            return x.enteredAt.plusSeconds(wait.seconds());
        }
        if (wait.timestamp() != null) {
            return wait.timestamp();
        }
        if (wait.secondsPath() != null) {
            JsonNode seconds = Paths.read(wait.secondsPath(), effective, x.context(null));
            if (seconds == null || !seconds.isIntegralNumber() || seconds.asLong() < 0) {
                throw new StatesException(StatesErrors.RUNTIME, "The SecondsPath '" + wait.secondsPath() + "' of state '"
                        + wait.name() + "' must resolve to a non-negative integer, but resolved to " + Json.abbreviate(seconds) + ".");
            }
            return x.enteredAt.plusSeconds(seconds.asLong());
        }
        JsonNode timestamp = Paths.read(wait.timestampPath(), effective, x.context(null));
        Instant at = timestamp != null && timestamp.isTextual() ? DefinitionParser.timestamp(timestamp.asText()) : null;
        if (at == null) {
            throw new StatesException(StatesErrors.RUNTIME, "The TimestampPath '" + wait.timestampPath() + "' of state '"
                    + wait.name() + "' must resolve to an RFC3339 timestamp, but resolved to " + Json.abbreviate(timestamp) + ".");
        }
        return at;
    }

    Transition waited(Execution x, State.Wait wait) {
        return new Transition(wait.next(), output(x, wait, effectiveInput(x, wait)));
    }

    /** Resolves a Task's Parameters and limits. Errors here are the Task's own and go to its Retry and Catch. */
    TaskCall prepareTask(Execution x, State.Task task, JsonNode effective, String token) {
        JsonNode parameters = task.parameters() == null ? effective
                : PayloadTemplate.evaluate(task.parameters(), effective, x.context(token));
        Json.checkedPayload(parameters, "input of state '" + task.name() + "' after Parameters");
        int timeout = task.timeoutSeconds() != null ? task.timeoutSeconds()
                : task.timeoutSecondsPath() != null ? seconds(x, effective, task.timeoutSecondsPath(), "TimeoutSecondsPath")
                : State.Task.DEFAULT_TIMEOUT_SECONDS;
        Integer heartbeat = task.heartbeatSeconds() != null ? task.heartbeatSeconds()
                : task.heartbeatSecondsPath() != null ? seconds(x, effective, task.heartbeatSecondsPath(), "HeartbeatSecondsPath")
                : null;
        if (heartbeat != null && heartbeat >= timeout) {
            throw new StatesException(StatesErrors.RUNTIME, "The heartbeat of state '" + task.name() + "' (" + heartbeat
                    + " s) must be shorter than its timeout (" + timeout + " s).");
        }
        return new TaskCall(parameters, timeout, heartbeat);
    }

    private int seconds(Execution x, JsonNode effective, String path, String field) {
        JsonNode value = Paths.read(path, effective, x.context(null));
        if (value == null || !value.isIntegralNumber() || value.asLong() <= 0 || value.asLong() > Integer.MAX_VALUE) {
            throw new StatesException(StatesErrors.RUNTIME, "The " + field + " '" + path + "' of state '" + x.stateName
                    + "' must resolve to a positive integer, but resolved to " + Json.abbreviate(value) + ".");
        }
        return value.asInt();
    }

    /** Turns a Task's result into the state's output: ResultSelector, ResultPath, OutputPath. */
    Transition taskResult(Execution x, State.Task task, JsonNode result) {
        Json.checkedPayload(result, "result of state '" + task.name() + "'");
        JsonNode selected = task.resultSelector() == null ? result
                : PayloadTemplate.evaluate(task.resultSelector(), result, x.context(null));
        JsonNode output = output(x, task, applyResult(task.resultPath(), x.stateInput, selected));
        Json.checkedPayload(output, "output of state '" + task.name() + "'");
        return new Transition(task.next(), output);
    }

    /**
     * Decides what a Task does about an error: the first Retrier whose ErrorEquals matches retries while it has
     * attempts left; then the first matching Catcher; else the execution fails. States.Runtime is never retried or
     * caught.
     */
    ErrorDecision onError(Execution x, State.Task task, String error, String cause, boolean mayRetry) {
        if (StatesErrors.RUNTIME.equals(error)) {
            return new ErrorDecision.Fail(error, cause);
        }
        if (mayRetry) {
            List<Retrier> retriers = task.retry();
            for (int i = 0; i < retriers.size(); i++) {
                Retrier retrier = retriers.get(i);
                if (StatesErrors.matches(retrier.errorEquals(), error)) {
                    int attempts = i < x.retrierAttempts.length ? x.retrierAttempts[i] : 0;
                    if (attempts < retrier.maxAttempts()) {
                        double delay = retrier.baseDelaySeconds(attempts);
                        if (retrier.jitter() == Retrier.Jitter.FULL) {
                            delay = random.nextDouble() * delay;
                        }
                        return new ErrorDecision.Retry(i, Math.round(delay * 1000));
                    }
                    break;
                }
            }
        }
        for (Catcher catcher : task.catchers()) {
            if (StatesErrors.matches(catcher.errorEquals(), error)) {
                ObjectNode errorOutput = Json.object();
                errorOutput.put("Error", error);
                errorOutput.put("Cause", cause);
                JsonNode output;
                try {
                    output = applyResult(catcher.resultPath(), x.stateInput, errorOutput);
                } catch (StatesException e) {
                    return new ErrorDecision.Fail(e.error(), e.cause());
                }
                return new ErrorDecision.Catch(catcher.next(), output);
            }
        }
        return new ErrorDecision.Fail(error, cause);
    }
}
