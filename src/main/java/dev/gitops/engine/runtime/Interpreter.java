package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.asl.State;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.data.StatesErrors;
import dev.gitops.engine.data.StatesException;
import dev.gitops.engine.tasks.TaskHandlers;
import dev.gitops.engine.time.EngineTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Moves executions between states and records what happens as history events. {@link StateExecutor} decides what a
 * state does with its data; this class owns the order of events, the journal writes, timers, and the way an execution
 * ends; {@link TaskSteps} runs Task states and {@link ForkSteps} the branches and iterations of Parallel and Map states,
 * each a {@link Run} of its own, stepped in turn under the execution's lock.
 *
 * <p>Events are written in batches that leave the journal at a resumable point: a transition writes the state's exit
 * with the next state's entry; a Task writes TaskScheduled and TaskStarted before its resource is called, and its end
 * together with what follows (retry, catch, next state, the end of its branch or of the execution).
 */
public final class Interpreter {
    private static final Logger LOG = LoggerFactory.getLogger(Interpreter.class);
    private static final int STEPS_PER_TURN = 64;

    final EngineTime time;
    final Executor workers;
    final StateExecutor states;
    final String region;
    private final Consumer<Execution> onClose;
    private final java.util.function.Predicate<String> deleted;
    final TaskSteps tasks;
    final ForkSteps forks;

    /**
     * @param onClose hears every execution that closes, after its end is on disk
     * @param deleted tells whether a state machine (by ARN) is being deleted: its executions end at their next transition
     */
    public Interpreter(EngineTime time, Executor workers, TaskHandlers handlers, java.util.random.RandomGenerator random,
                       String region, Consumer<Execution> onClose, java.util.function.Predicate<String> deleted) {
        this.time = time;
        this.workers = workers;
        this.states = new StateExecutor(random);
        this.region = region;
        this.onClose = onClose;
        this.deleted = deleted;
        this.tasks = new TaskSteps(this, handlers);
        this.forks = new ForkSteps(this);
    }

    // ---------------------------------------------------------------------------------------------- starting, driving

    /**
     * Records the start of a new execution in a new journal; {@link #run} then lets it go.
     *
     * @throws java.nio.file.FileAlreadyExistsException when the data directory already holds a journal by that name
     */
    public void start(Execution x, ObjectNode startRecord) throws java.nio.file.FileAlreadyExistsException {
        synchronized (x) {
            x.pending.add(Json.write(startRecord));
            x.root = new Run(x, x.definition.machine(), null, 0, null);
            ObjectNode details = Events.data("input", x.input);
            if (x.roleArn != null) {
                details.put("roleArn", x.roleArn);
            }
            append(x.root, "ExecutionStarted", "executionStartedEventDetails", details);
            enter(x.root, x.definition.startAt(), x.inputNode, x.input);
            x.journal.create(x.pending);
            x.pending.clear();
            armExecutionTimeout(x);
        }
    }

    /** Lets a started execution run on the workers. */
    public void run(Execution x) {
        submit(x);
    }

    void submit(Execution x) {
        workers.execute(() -> drive(x));
    }

    /** Steps the runs that are ready, a bounded number per turn so that executions share the workers. */
    void drive(Execution x) {
        synchronized (x) {
            int steps = 0;
            while (x.running() && steps < STEPS_PER_TURN) {
                Run r = x.queue.poll();
                if (r == null) {
                    break;
                }
                if (!r.ready || r.done) {
                    continue;
                }
                r.ready = false;
                steps++;
                guarded(r, () -> step(r));
            }
            try {
                flush(x);
            } catch (RuntimeException e) {
                engineFailure(x, null, e);
            }
            if (x.running() && !x.queue.isEmpty()) {
                submit(x);
            }
        }
    }

    private void step(Run r) {
        State state = r.state();
        if (state instanceof State.Pass pass) {
            transition(r, state, states.pass(r, pass));
        } else if (state instanceof State.Choice choice) {
            transition(r, state, states.choice(r, choice));
        } else if (state instanceof State.Succeed succeed) {
            transition(r, state, states.succeed(r, succeed));
        } else if (state instanceof State.Fail fail) {
            StatesException failure = states.fail(r, fail);
            failRun(r, failure.error(), failure.cause());
        } else if (state instanceof State.Wait wait) {
            waitState(r, wait);
        } else if (state instanceof State.Task task) {
            tasks.execute(r, task);
        } else if (state instanceof State.Map map) {
            forks.execute(r, map);
        } else if (state instanceof State.Parallel parallel) {
            forks.execute(r, parallel);
        } else {
            throw new IllegalStateException("no executor for state type " + state.type());
        }
    }

    // ---------------------------------------------------------------------------------------------- transitions

    void enter(Run r, String name, JsonNode input, String inputText) {
        Execution x = r.execution;
        if (!x.running()) {
            return;
        }
        if (x.root.stateName != null && deleted.test(x.stateMachineArn)) {
            failExecution(x, StatesErrors.RUNTIME, "State machine " + x.stateMachineName + " has been deleted.");
            return;
        }
        State state = r.machine.state(name);
        r.stateName = name;
        r.stateInput = input;
        r.enteredAt = time.now();
        r.enteredEventId = append(r, state.type() + "StateEntered", "stateEnteredEventDetails",
                Events.state(name, "input", inputText));
        r.retryCount = 0;
        r.retrierAttempts = state instanceof State.Recoverable recoverable ? new int[recoverable.retry().size()] : new int[0];
        r.task = null;
        r.generation++;
        ready(r);
    }

    /** Queues a run to take its next step. */
    void ready(Run r) {
        if (!r.ready) {
            r.ready = true;
            r.execution.queue.add(r);
        }
    }

    void transition(Run r, State state, StateExecutor.Transition transition) {
        String output = Json.checkedPayload(transition.output(), "output of state '" + state.name() + "'");
        append(r, state.type() + "StateExited", "stateExitedEventDetails", Events.state(state.name(), "output", output));
        if (transition.next() != null) {
            enter(r, transition.next(), transition.output(), output);
        } else if (r.parent == null) {
            append(r, "ExecutionSucceeded", "executionSucceededEventDetails", Events.data("output", output));
            close(r.execution, ExecutionStatus.SUCCEEDED, null, null);
        } else {
            forks.childSucceeded(r, transition.output());
        }
    }

    /** A run failed with an error nothing in it caught: its branch or iteration fails, or the whole execution. */
    void failRun(Run r, String error, String cause) {
        if (r.done || !r.execution.running()) {
            return;
        }
        if (r.parent == null) {
            failExecution(r.execution, error, cause);
        } else {
            forks.childFailed(r, error, cause);
        }
    }

    private void failExecution(Execution x, String error, String cause) {
        if (!x.running()) {
            return;
        }
        if (x.root.fork != null) {
            abortRun(x.root);
        }
        append(x.root, "ExecutionFailed", "executionFailedEventDetails", Events.errorDetails(error, cause));
        close(x, ExecutionStatus.FAILED, error, cause);
    }

    private void close(Execution x, ExecutionStatus status, String error, String cause) {
        x.status = status;
        x.stopDate = time.now();
        x.error = error;
        x.cause = cause;
        if (x.executionTimer != null) {
            x.executionTimer.cancel();
        }
        releaseAll(x.root);
        x.queue.clear();
        x.tasks.clear();
        flush(x);
        x.root = null;
        x.inputNode = null;
        x.input = null;
        x.definition = null;
        onClose.accept(x);
    }

    /**
     * Decides what a Task, Map or Parallel state does about an error (its Retry and Catch) and does it. A Map or
     * Parallel state records its failure (MapStateFailed, ParallelStateFailed) unless it is retried.
     */
    void decide(Run r, State.Recoverable state, String error, String cause, boolean mayRetry) {
        StateExecutor.ErrorDecision decision = states.onError(r, state, error, cause, mayRetry);
        if (decision instanceof StateExecutor.ErrorDecision.Retry retry) {
            r.retrierAttempts[retry.retrier()]++;
            r.retryCount++;
            Instant at = time.now().plusMillis(retry.delayMillis());
            ObjectNode record = record(r, "retry");
            record.put("retrier", retry.retrier());
            record.put("at", at.toEpochMilli());
            r.execution.pending.add(Json.write(record));
            flush(r.execution);
            r.stateTimer = later(r, at, () -> {
                r.stateTimer = null;
                restart(r, state);
            });
            return;
        }
        if (!(state instanceof State.Task)) {
            append(r, state.type() + "StateFailed", null, null);
        }
        if (decision instanceof StateExecutor.ErrorDecision.Catch caught) {
            String output = Json.checkedPayload(caught.output(), "output of state '" + state.name() + "'");
            append(r, state.type() + "StateExited", "stateExitedEventDetails", Events.state(state.name(), "output", output));
            enter(r, caught.next(), caught.output(), output);
        } else {
            StateExecutor.ErrorDecision.Fail fail = (StateExecutor.ErrorDecision.Fail) decision;
            failRun(r, fail.error(), fail.cause());
        }
    }

    /** Runs a Task, Map or Parallel state again after a Retrier's delay. */
    void restart(Run r, State.Recoverable state) {
        if (state instanceof State.Task task) {
            tasks.execute(r, task);
        } else if (state instanceof State.Map map) {
            forks.execute(r, map);
        } else {
            forks.execute(r, (State.Parallel) state);
        }
    }

    // ---------------------------------------------------------------------------------------------- Wait

    private void waitState(Run r, State.Wait wait) {
        Instant until = states.waitUntil(r, wait);
        if (!until.isAfter(time.now())) {
            transition(r, wait, states.waited(r, wait));
            return;
        }
        r.stateTimer = later(r, until, () -> {
            r.stateTimer = null;
            transition(r, wait, states.waited(r, wait));
        });
    }

    /** Runs {@code action} on the run at {@code at}, if it is still in the same position then. */
    EngineTime.Timer later(Run r, Instant at, Runnable action) {
        long generation = r.generation;
        Execution x = r.execution;
        return time.schedule(at, () -> workers.execute(() -> {
            synchronized (x) {
                if (x.running() && !r.done && r.generation == generation) {
                    guarded(r, action);
                }
            }
            drive(x);
        }));
    }

    /**
     * Runs a step of a run (under its execution's lock) so that no failure leaves it stuck: a States error fails the
     * run with that error (its branch or iteration, or the execution); anything else is an engine failure, logged,
     * and fails the execution with States.Runtime.
     */
    void guarded(Run r, Runnable step) {
        try {
            step.run();
        } catch (StatesException e) {
            failRun(r, e.error(), e.cause());
        } catch (RuntimeException e) {
            engineFailure(r.execution, r, e);
        }
    }

    private void engineFailure(Execution x, Run r, RuntimeException e) {
        String where = r == null ? "" : " in state '" + r.stateName + "'";
        LOG.error("execution \"{}\" failed{} on an engine error", x.arn, where, e);
        x.pending.clear();
        try {
            failExecution(x, StatesErrors.RUNTIME, "The embedded engine failed" + where + ": " + e);
        } catch (RuntimeException again) {
            LOG.error("execution \"{}\" could not record its failure; it is marked failed in memory only", x.arn, again);
            x.status = ExecutionStatus.FAILED;
            x.queue.clear();
        }
    }

    // ---------------------------------------------------------------------------------------------- aborting

    /**
     * Aborts what a run is doing: the branches or iterations of its Map or Parallel state first, then its own state
     * ({@code <Type>StateAborted} for Task, Wait, Map and Parallel states); its timers and task are called off.
     */
    void abortRun(Run r) {
        if (r.done) {
            return;
        }
        if (r.stateName != null) {
            State state = r.state();
            if (r.fork != null) {
                forks.abortChildren(r.fork);
                r.fork.closed = true;
                r.fork = null;
            }
            if (state instanceof State.Task || state instanceof State.Wait || state instanceof State.Map
                    || state instanceof State.Parallel) {
                append(r, state.type() + "StateAborted", null, null);
            }
        }
        release(r);
    }

    /** Ends a run in memory: no more steps, timers or task. */
    void release(Run r) {
        r.done = true;
        r.ready = false;
        r.generation++;
        if (r.stateTimer != null) {
            r.stateTimer.cancel();
            r.stateTimer = null;
        }
        if (r.task != null) {
            r.task.stopTimers();
            r.task.cancelled.complete(null);
            r.execution.tasks.remove(r.task.scheduledEventId);
            r.task = null;
        }
    }

    private void releaseAll(Run r) {
        if (r == null) {
            return;
        }
        if (r.fork != null) {
            for (Run child : r.fork.children) {
                releaseAll(child);
            }
        }
        release(r);
    }

    // ---------------------------------------------------------------------------------------------- callbacks

    /** Why a callback was refused: the token's task is not waiting (any more). */
    public static final class TaskNotWaiting extends Exception {
        TaskNotWaiting(String message) {
            super(message);
        }
    }

    public void sendTaskSuccess(Execution x, String token, JsonNode output) throws TaskNotWaiting {
        tasks.sendTaskSuccess(x, token, output);
    }

    public void sendTaskFailure(Execution x, String token, String error, String cause) throws TaskNotWaiting {
        tasks.sendTaskFailure(x, token, error, cause);
    }

    public void sendTaskHeartbeat(Execution x, String token) throws TaskNotWaiting {
        tasks.sendTaskHeartbeat(x, token);
    }

    // ---------------------------------------------------------------------------------------------- stop, timeout

    /** StopExecution: aborts every running state, branches and iterations included, and ends ABORTED. */
    public Instant stop(Execution x, String error, String cause) {
        synchronized (x) {
            if (!x.running()) {
                return x.stopDate;
            }
            abortRun(x.root);
            append(x.root, "ExecutionAborted", "executionAbortedEventDetails", Events.errorDetails(error, cause));
            close(x, ExecutionStatus.ABORTED, error, cause);
            return x.stopDate;
        }
    }

    void armExecutionTimeout(Execution x) {
        Integer timeout = x.definition.timeoutSeconds();
        if (timeout == null) {
            return;
        }
        x.executionTimer = time.schedule(x.startDate.plusSeconds(timeout), () -> workers.execute(() -> {
            synchronized (x) {
                if (!x.running()) {
                    return;
                }
                Run root = x.root;
                guarded(root, () -> {
                    abortRun(root);
                    String cause = "The execution ran longer than its TimeoutSeconds of " + timeout + " seconds.";
                    append(root, "ExecutionTimedOut", "executionTimedOutEventDetails",
                            Events.errorDetails(StatesErrors.TIMEOUT, cause));
                    close(x, ExecutionStatus.TIMED_OUT, StatesErrors.TIMEOUT, cause);
                });
            }
        }));
    }

    // ---------------------------------------------------------------------------------------------- restart

    /**
     * Continues an execution read back from its journal (see {@link Resumption}): branches and iterations that had
     * finished keep their results, the others continue from where they were.
     */
    public void resume(Execution x, List<JsonNode> lines) {
        synchronized (x) {
            Replay replay = Replay.of(x, lines);
            armExecutionTimeout(x);
            new Resumption(this, replay).resume(x);
            flush(x);
        }
        submit(x);
    }

    // ---------------------------------------------------------------------------------------------- events

    /** Appends an event of a run (with its scope) to the pending batch and returns its id. */
    long append(Run r, String type, String detailsField, ObjectNode details) {
        Execution x = r.execution;
        long id = ++x.lastEventId;
        ObjectNode event = Events.event(id, r.lastEventId, time.now(), type, detailsField, details);
        if (r.scope != null) {
            event.put("@r", r.scope);
        }
        r.lastEventId = id;
        x.pending.add(Json.write(event));
        return id;
    }

    /** An engine record about a run (its scope included), for the journal only. */
    static ObjectNode record(Run r, String kind) {
        ObjectNode record = Json.object();
        record.put("@", kind);
        if (r.scope != null) {
            record.put("r", r.scope);
        }
        return record;
    }

    static void flush(Execution x) {
        if (!x.pending.isEmpty()) {
            x.journal.append(x.pending);
            x.pending.clear();
        }
    }
}
