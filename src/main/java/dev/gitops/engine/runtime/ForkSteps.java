package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.asl.Machine;
import dev.gitops.engine.asl.State;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.data.StatesErrors;
import dev.gitops.engine.data.StatesException;

/**
 * Parallel and Map states for the {@link Interpreter}: each branch or iteration is a {@link Run} of its own, stepped
 * beside the others. A Parallel state starts all its branches at once; a Map state starts iterations in index order,
 * at most MaxConcurrency at a time (0: all). The state succeeds with the array of their outputs, in order, once all
 * have succeeded; the first that fails fails the state with its error and aborts the others, unless the Map tolerates
 * failures (ToleratedFailureCount, ToleratedFailurePercentage), when it fails only once a threshold is exceeded, with
 * States.ExceedToleratedFailureThreshold. Retry and Catch of the state then decide, as for a Task.
 *
 * <p>Events as AWS records them: {@code MapStateStarted} (with the number of items), {@code MapIterationStarted},
 * {@code MapIterationSucceeded}, {@code MapIterationFailed}, {@code MapIterationAborted} (name and index), the events of
 * the states inside each iteration or branch, then {@code MapStateSucceeded} or {@code MapStateFailed};
 * {@code ParallelStateStarted}, the branches' events, {@code ParallelStateSucceeded} or {@code ParallelStateFailed}.
 */
final class ForkSteps {
    static final String THRESHOLD_EXCEEDED = "The specified tolerated failure threshold was exceeded";

    private final Interpreter in;

    ForkSteps(Interpreter interpreter) {
        this.in = interpreter;
    }

    // ---------------------------------------------------------------------------------------------- starting

    /** Starts a Map state's iterations (and again on each retry). */
    void execute(Run r, State.Map map) {
        Fork f;
        try {
            f = prepare(r, map, r.execution.lastEventId + 1);
        } catch (StatesException e) {
            in.decide(r, map, e.error(), e.cause(), true);
            return;
        }
        ObjectNode details = Json.object();
        details.put("length", f.size);
        in.append(r, "MapStateStarted", "mapStateStartedEventDetails", details);
        r.fork = f;
        fill(f);
        complete(f);
    }

    /** Starts a Parallel state's branches (and again on each retry). */
    void execute(Run r, State.Parallel parallel) {
        Fork f;
        try {
            f = prepare(r, parallel, r.execution.lastEventId + 1);
        } catch (StatesException e) {
            in.decide(r, parallel, e.error(), e.cause(), true);
            return;
        }
        in.append(r, "ParallelStateStarted", null, null);
        r.fork = f;
        for (int i = 0; i < f.size && !f.closed && r.execution.running(); i++) {
            f.next = i + 1;
            startChild(f, i, f.input);
        }
        complete(f);
    }

    /**
     * A Map state's fork as its input defines it: the items, MaxConcurrency and tolerated failures. Also used after a
     * restart, which computes the same from the same input, for the fork whose Started event has id {@code id}.
     */
    Fork prepare(Run r, State.Map map, long id) {
        JsonNode effective = in.states.effectiveInput(r, map);
        ArrayNode items = in.states.items(r, map, effective);
        int maxConcurrency = in.states.maxConcurrency(r, map, effective);
        Integer toleratedCount = in.states.toleratedCount(r, map, effective);
        Double toleratedPercentage = in.states.toleratedPercentage(r, map, effective);
        return new Fork(r, map, id, effective, items, items.size(), maxConcurrency, toleratedCount, toleratedPercentage);
    }

    /** A Parallel state's fork: the branches' input (InputPath, then Parameters). */
    Fork prepare(Run r, State.Parallel parallel, long id) {
        JsonNode input = in.states.branchInput(r, parallel, in.states.effectiveInput(r, parallel));
        return new Fork(r, parallel, id, input, null, parallel.branches().size(), 0, null, null);
    }

    /** Starts Map iterations in index order while MaxConcurrency allows. */
    void fill(Fork f) {
        if (f.filling || !(f.state instanceof State.Map map)) {
            return;
        }
        Execution x = f.owner.execution;
        f.filling = true;
        try {
            while (!f.closed && x.running() && f.next < f.size
                    && (f.maxConcurrency == 0 || f.running < f.maxConcurrency)) {
                int index = f.next++;
                in.append(f.owner, "MapIterationStarted", "mapIterationStartedEventDetails", iteration(map, index));
                JsonNode input;
                try {
                    input = in.states.iterationInput(f.owner, map, f.input, index, f.items.get(index));
                } catch (StatesException e) {
                    iterationFailed(f, index, e.error(), e.cause());
                    continue;
                }
                startChild(f, index, input);
            }
        } finally {
            f.filling = false;
        }
    }

    private void startChild(Fork f, int index, JsonNode input) {
        Run child = child(f, index);
        f.children[index] = child;
        f.running++;
        in.enter(child, child.machine.startAt(), input, Json.write(input));
    }

    /** The run of a branch or iteration; its first event follows the fork's latest one. */
    Run child(Fork f, int index) {
        Machine machine = f.state instanceof State.Map map ? map.processor()
                : ((State.Parallel) f.state).branches().get(index);
        Run child = new Run(f.owner.execution, machine, f, index, f.scope(index));
        child.lastEventId = f.owner.lastEventId;
        return child;
    }

    private static ObjectNode iteration(State.Map map, int index) {
        ObjectNode details = Json.object();
        details.put("name", map.name());
        details.put("index", index);
        return details;
    }

    // ---------------------------------------------------------------------------------------------- endings

    /** A branch or iteration reached its end with this output. */
    void childSucceeded(Run child, JsonNode output) {
        Fork f = child.parent;
        if (child.done || f.closed) {
            return;
        }
        in.release(child);
        f.children[child.index] = null;
        f.running--;
        f.finished++;
        f.results[child.index] = output;
        if (f.state instanceof State.Map map) {
            in.append(f.owner, "MapIterationSucceeded", "mapIterationSucceededEventDetails", iteration(map, child.index));
        }
        in.guarded(f.owner, () -> {
            fill(f);
            complete(f);
        });
    }

    /** A branch or iteration failed with an error nothing in it caught. */
    void childFailed(Run child, String error, String cause) {
        Fork f = child.parent;
        if (child.done || f.closed) {
            return;
        }
        in.release(child);
        f.children[child.index] = null;
        f.running--;
        if (f.isMap()) {
            in.guarded(f.owner, () -> iterationFailed(f, child.index, error, cause));
        } else {
            in.guarded(f.owner, () -> failed(f, error, cause));
        }
    }

    private void iterationFailed(Fork f, int index, String error, String cause) {
        in.append(f.owner, "MapIterationFailed", "mapIterationFailedEventDetails", iteration((State.Map) f.state, index));
        ObjectNode record = Interpreter.record(f.owner, "failed");
        record.put("fork", f.id);
        record.put("index", index);
        record.put("error", error);
        record.put("cause", cause);
        f.owner.execution.pending.add(Json.write(record));
        f.failed++;
        f.finished++;
        if (!f.tolerates()) {
            failed(f, error, cause);
            return;
        }
        f.results[index] = errorOutput(error, cause);
        if (f.exceeded()) {
            failed(f, StatesErrors.EXCEEDED_TOLERATED_FAILURE_THRESHOLD, THRESHOLD_EXCEEDED);
            return;
        }
        fill(f);
        complete(f);
    }

    /** What a tolerated failed iteration leaves in the Map's output: its error, as a Catcher would see it. */
    static ObjectNode errorOutput(String error, String cause) {
        ObjectNode output = Json.object();
        output.put("Error", error);
        output.put("Cause", cause);
        return output;
    }

    /** The state fails: the branches or iterations still running are aborted; its Retry and Catch decide. */
    private void failed(Fork f, String error, String cause) {
        f.closed = true;
        abortChildren(f);
        f.owner.fork = null;
        in.decide(f.owner, f.state, error, cause, true);
    }

    /** Aborts the branches or iterations still running (a Map records MapIterationAborted for each). */
    void abortChildren(Fork f) {
        for (int i = 0; i < f.size; i++) {
            Run child = f.children[i];
            if (child != null) {
                f.children[i] = null;
                in.abortRun(child);
                if (f.state instanceof State.Map map) {
                    in.append(f.owner, "MapIterationAborted", "mapIterationAbortedEventDetails", iteration(map, i));
                }
            }
        }
        f.running = 0;
    }

    /** Once every branch or iteration has ended, the state succeeds with their outputs, in order. */
    void complete(Fork f) {
        Run r = f.owner;
        if (f.closed || f.finished < f.size || !r.execution.running()) {
            return;
        }
        f.closed = true;
        r.fork = null;
        in.append(r, f.state.type() + "StateSucceeded", null, null);
        ArrayNode results = Json.NODES.arrayNode(f.size);
        for (JsonNode result : f.results) {
            results.add(result);
        }
        StateExecutor.Transition transition;
        try {
            transition = in.states.result(r, f.state, results);
        } catch (StatesException e) {
            in.decide(r, f.state, e.error(), e.cause(), false);
            return;
        }
        in.transition(r, f.state, transition);
    }
}
