package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * Choice and Wait decisions, a Map's items, limits and iteration inputs, and which Retrier or Catcher handles an error.
 * It moves nothing: the {@link Interpreter} records events and moves between states.
 */
final class StateExecutor {
    /** Where a state leaves: the next state (null ends its run successfully) and the state's output. */
    record Transition(String next, JsonNode output) {
    }

    /** What a Task, Map or Parallel state does about an error. */
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

    JsonNode effectiveInput(Run r, State state) {
        return select(r, state.inputPath(), r.stateInput, "InputPath");
    }

    JsonNode output(Run r, State state, JsonNode value) {
        return select(r, state.outputPath(), value, "OutputPath");
    }

    private JsonNode select(Run r, PathSpec spec, JsonNode value, String field) {
        if (spec.discards()) {
            return Json.object();
        }
        if (spec.isRoot()) {
            return value;
        }
        JsonNode selected = Paths.read(spec.path(), value, r.context(null));
        if (selected == null) {
            throw new StatesException(StatesErrors.RUNTIME, "An error occurred while executing the state '" + r.stateName
                    + "' (entered at the event id #" + r.enteredEventId + "). Invalid path '" + spec.path() + "' in "
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

    Transition pass(Run r, State.Pass pass) {
        JsonNode effective = effectiveInput(r, pass);
        if (pass.parameters() != null) {
            effective = PayloadTemplate.evaluate(pass.parameters(), effective, r.context(null));
        }
        JsonNode result = pass.result() != null ? pass.result() : effective;
        return new Transition(pass.next(), output(r, pass, applyResult(pass.resultPath(), r.stateInput, result)));
    }

    Transition choice(Run r, State.Choice choice) {
        JsonNode effective = effectiveInput(r, choice);
        ObjectNode context = r.context(null);
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
        return new Transition(next, output(r, choice, effective));
    }

    Transition succeed(Run r, State.Succeed succeed) {
        return new Transition(null, output(r, succeed, effectiveInput(r, succeed)));
    }

    /** The error and cause a Fail state ends the execution with. */
    StatesException fail(Run r, State.Fail fail) {
        String error = fail.errorPath() != null ? dynamic(r, fail.errorPath(), "ErrorPath") : fail.error();
        String cause = fail.causePath() != null ? dynamic(r, fail.causePath(), "CausePath") : fail.cause();
        return new StatesException(error, cause);
    }

    private String dynamic(Run r, String expression, String field) {
        JsonNode value = Intrinsics.isIntrinsic(expression)
                ? Intrinsics.evaluate(expression, r.stateInput, r.context(null))
                : Paths.read(expression, r.stateInput, r.context(null));
        if (value == null || !value.isTextual()) {
            throw new StatesException(StatesErrors.RUNTIME, "The " + field + " '" + expression + "' of state '" + r.stateName
                    + "' must resolve to a string, but resolved to " + Json.typeName(value) + ".");
        }
        return value.asText();
    }

    /** When a Wait state ends, computed from the time the state was entered (so a restart does not restart the wait). */
    Instant waitUntil(Run r, State.Wait wait) {
        JsonNode effective = effectiveInput(r, wait);
        if (wait.seconds() != null) {
            return r.enteredAt.plusSeconds(wait.seconds());
        }
        if (wait.timestamp() != null) {
            return wait.timestamp();
        }
        if (wait.secondsPath() != null) {
            JsonNode seconds = Paths.read(wait.secondsPath(), effective, r.context(null));
            if (seconds == null || !seconds.isIntegralNumber() || seconds.asLong() < 0) {
                throw new StatesException(StatesErrors.RUNTIME, "The SecondsPath '" + wait.secondsPath() + "' of state '"
                        + wait.name() + "' must resolve to a non-negative integer, but resolved to " + Json.abbreviate(seconds) + ".");
            }
            return r.enteredAt.plusSeconds(seconds.asLong());
        }
        JsonNode timestamp = Paths.read(wait.timestampPath(), effective, r.context(null));
        Instant at = timestamp != null && timestamp.isTextual() ? DefinitionParser.timestamp(timestamp.asText()) : null;
        if (at == null) {
            throw new StatesException(StatesErrors.RUNTIME, "The TimestampPath '" + wait.timestampPath() + "' of state '"
                    + wait.name() + "' must resolve to an RFC3339 timestamp, but resolved to " + Json.abbreviate(timestamp) + ".");
        }
        return at;
    }

    Transition waited(Run r, State.Wait wait) {
        return new Transition(wait.next(), output(r, wait, effectiveInput(r, wait)));
    }

    /** Resolves a Task's Parameters and limits. Errors here are the Task's own and go to its Retry and Catch. */
    TaskCall prepareTask(Run r, State.Task task, JsonNode effective, String token) {
        JsonNode parameters = task.parameters() == null ? effective
                : PayloadTemplate.evaluate(task.parameters(), effective, r.context(token));
        Json.checkedPayload(parameters, "input of state '" + task.name() + "' after Parameters");
        int timeout = task.timeoutSeconds() != null ? task.timeoutSeconds()
                : task.timeoutSecondsPath() != null ? seconds(r, effective, task.timeoutSecondsPath(), "TimeoutSecondsPath")
                : State.Task.DEFAULT_TIMEOUT_SECONDS;
        Integer heartbeat = task.heartbeatSeconds() != null ? task.heartbeatSeconds()
                : task.heartbeatSecondsPath() != null ? seconds(r, effective, task.heartbeatSecondsPath(), "HeartbeatSecondsPath")
                : null;
        if (heartbeat != null && heartbeat >= timeout) {
            throw new StatesException(StatesErrors.RUNTIME, "The heartbeat of state '" + task.name() + "' (" + heartbeat
                    + " s) must be shorter than its timeout (" + timeout + " s).");
        }
        return new TaskCall(parameters, timeout, heartbeat);
    }

    private int seconds(Run r, JsonNode effective, String path, String field) {
        JsonNode value = Paths.read(path, effective, r.context(null));
        if (value == null || !value.isIntegralNumber() || value.asLong() <= 0 || value.asLong() > Integer.MAX_VALUE) {
            throw new StatesException(StatesErrors.RUNTIME, "The " + field + " '" + path + "' of state '" + r.stateName
                    + "' must resolve to a positive integer, but resolved to " + Json.abbreviate(value) + ".");
        }
        return value.asInt();
    }

    /**
     * Turns the result of a Task, Map or Parallel state (the array of branch or iteration outputs) into the state's
     * output: ResultSelector, ResultPath, OutputPath.
     */
    Transition result(Run r, State.Recoverable state, JsonNode result) {
        Json.checkedPayload(result, "result of state '" + state.name() + "'");
        JsonNode selected = state.resultSelector() == null ? result
                : PayloadTemplate.evaluate(state.resultSelector(), result, r.context(null));
        JsonNode output = output(r, state, applyResult(state.resultPath(), r.stateInput, selected));
        Json.checkedPayload(output, "output of state '" + state.name() + "'");
        return new Transition(state.next(), output);
    }

    // ---------------------------------------------------------------------------------------------- Map, Parallel

    /** The input of every branch of a Parallel state: its effective input, through Parameters. */
    JsonNode branchInput(Run r, State.Parallel parallel, JsonNode effective) {
        if (parallel.parameters() == null) {
            return effective;
        }
        JsonNode input = PayloadTemplate.evaluate(parallel.parameters(), effective, r.context(null));
        Json.checkedPayload(input, "input of state '" + parallel.name() + "' after Parameters");
        return input;
    }

    /** The array a Map state iterates over: ItemsPath applied to its effective input. */
    ArrayNode items(Run r, State.Map map, JsonNode effective) {
        String path = map.itemsPath() == null ? "$" : map.itemsPath();
        JsonNode items = map.itemsPath() == null ? effective : Paths.read(path, effective, r.context(null));
        if (items == null || !items.isArray()) {
            throw new StatesException(StatesErrors.RUNTIME, "An error occurred while executing the state '" + map.name()
                    + "' (entered at the event id #" + r.enteredEventId + "). The ItemsPath '" + path + "' must select"
                    + " a JSON array, but " + (items == null ? "nothing is there in " + Json.abbreviate(effective)
                    : "it is " + Json.typeName(items) + " " + Json.abbreviate(items)) + ".");
        }
        return (ArrayNode) items;
    }

    /** The input of one iteration: the item, or ItemSelector (legacy: Parameters) with {@code $$.Map.Item}. */
    JsonNode iterationInput(Run r, State.Map map, JsonNode effective, int index, JsonNode item) {
        if (map.itemSelector() == null) {
            return item;
        }
        ObjectNode context = r.context(null);
        ObjectNode mapItem = context.putObject("Map").putObject("Item");
        mapItem.put("Index", index);
        mapItem.set("Value", item);
        return PayloadTemplate.evaluate(map.itemSelector(), effective, context);
    }

    /** MaxConcurrency, or what MaxConcurrencyPath selects: a non-negative integer, 0 meaning no limit. */
    int maxConcurrency(Run r, State.Map map, JsonNode effective) {
        if (map.maxConcurrencyPath() == null) {
            return map.maxConcurrency();
        }
        JsonNode value = Paths.read(map.maxConcurrencyPath(), effective, r.context(null));
        if (value == null || !value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > Integer.MAX_VALUE) {
            throw new StatesException(StatesErrors.RUNTIME, "The MaxConcurrencyPath '" + map.maxConcurrencyPath()
                    + "' of state '" + map.name() + "' must select a non-negative integer, but selected "
                    + Json.abbreviate(value) + ".");
        }
        return value.asInt();
    }

    /** ToleratedFailureCount, or what its path selects; null when neither is set. */
    Integer toleratedCount(Run r, State.Map map, JsonNode effective) {
        State.Map.Tolerance tolerance = map.tolerance();
        if (tolerance.countPath() == null) {
            return tolerance.count();
        }
        JsonNode value = Paths.read(tolerance.countPath(), effective, r.context(null));
        if (value == null || !value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > Integer.MAX_VALUE) {
            throw new StatesException(StatesErrors.RUNTIME, "The ToleratedFailureCountPath '" + tolerance.countPath()
                    + "' of state '" + map.name() + "' must select a non-negative integer, but selected "
                    + Json.abbreviate(value) + ".");
        }
        return value.asInt();
    }

    /** ToleratedFailurePercentage, or what its path selects; null when neither is set. */
    Double toleratedPercentage(Run r, State.Map map, JsonNode effective) {
        State.Map.Tolerance tolerance = map.tolerance();
        if (tolerance.percentagePath() == null) {
            return tolerance.percentage();
        }
        JsonNode value = Paths.read(tolerance.percentagePath(), effective, r.context(null));
        if (value == null || !value.isNumber() || value.asDouble() < 0 || value.asDouble() > 100) {
            throw new StatesException(StatesErrors.RUNTIME, "The ToleratedFailurePercentagePath '"
                    + tolerance.percentagePath() + "' of state '" + map.name() + "' must select a number from 0 to 100,"
                    + " but selected " + Json.abbreviate(value) + ".");
        }
        return value.asDouble();
    }

    /**
     * Decides what a Task, Map or Parallel state does about an error: the first Retrier whose ErrorEquals matches
     * retries while it has attempts left; then the first matching Catcher; else the state fails (and with it its
     * branch, or the execution). States.Runtime is never retried or caught.
     */
    ErrorDecision onError(Run r, State.Recoverable task, String error, String cause, boolean mayRetry) {
        if (StatesErrors.RUNTIME.equals(error)) {
            return new ErrorDecision.Fail(error, cause);
        }
        if (mayRetry) {
            List<Retrier> retriers = task.retry();
            for (int i = 0; i < retriers.size(); i++) {
                Retrier retrier = retriers.get(i);
                if (StatesErrors.matches(retrier.errorEquals(), error)) {
                    int attempts = i < r.retrierAttempts.length ? r.retrierAttempts[i] : 0;
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
                    output = applyResult(catcher.resultPath(), r.stateInput, errorOutput);
                } catch (StatesException e) {
                    return new ErrorDecision.Fail(e.error(), e.cause());
                }
                return new ErrorDecision.Catch(catcher.next(), output);
            }
        }
        return new ErrorDecision.Fail(error, cause);
    }
}
