package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.asl.State;
import dev.gitops.engine.asl.TaskResource;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.data.StatesErrors;
import dev.gitops.engine.data.StatesException;
import dev.gitops.engine.tasks.TaskHandler;
import dev.gitops.engine.tasks.TaskHandlers;
import dev.gitops.engine.tasks.TaskRequest;
import dev.gitops.engine.time.EngineTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Moves executions between states and records what happens as history events. {@link StateExecutor} decides what a
 * state does with its data; this class owns the order of events, the journal writes, timers, task callbacks, and the
 * resumption of executions after a restart.
 *
 * <p>Events are written in batches that leave the journal at a resumable point: a transition writes the state's exit
 * with the next state's entry; a Task writes TaskScheduled and TaskStarted before its resource is called, and its end
 * together with what follows (retry, catch, next state, or the execution's end).
 */
public final class Interpreter {
    private static final Logger LOG = LoggerFactory.getLogger(Interpreter.class);
    private static final int STEPS_PER_TURN = 64;

    private final EngineTime time;
    private final Executor workers;
    private final TaskHandlers handlers;
    private final StateExecutor states;
    private final String region;
    private final Consumer<Execution> onClose;
    private final java.util.function.Predicate<String> deleted;

    /**
     * @param onClose hears every execution that closes, after its end is on disk
     * @param deleted tells whether a state machine (by ARN) is being deleted: its executions end at their next transition
     */
    public Interpreter(EngineTime time, Executor workers, TaskHandlers handlers, java.util.random.RandomGenerator random,
                       String region, Consumer<Execution> onClose, java.util.function.Predicate<String> deleted) {
        this.time = time;
        this.workers = workers;
        this.handlers = handlers;
        this.states = new StateExecutor(random);
        this.region = region;
        this.onClose = onClose;
        this.deleted = deleted;
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
            ObjectNode details = Events.data("input", x.input);
            if (x.roleArn != null) {
                details.put("roleArn", x.roleArn);
            }
            append(x, "ExecutionStarted", "executionStartedEventDetails", details);
            enter(x, x.definition.startAt(), x.inputNode, x.input);
            x.journal.create(x.pending);
            x.pending.clear();
            armExecutionTimeout(x);
        }
    }

    /** Lets a started execution run on the workers. */
    public void run(Execution x) {
        submit(x);
    }

    private void submit(Execution x) {
        workers.execute(() -> drive(x));
    }

    private void drive(Execution x) {
        synchronized (x) {
            int steps = 0;
            while (x.running() && x.ready && steps++ < STEPS_PER_TURN) {
                guarded(x, () -> step(x));
            }
            guarded(x, () -> flush(x));
            if (x.running() && x.ready) {
                submit(x);
            }
        }
    }

    private void step(Execution x) {
        State state = x.definition.state(x.stateName);
        if (state instanceof State.Pass pass) {
            transition(x, state, states.pass(x, pass));
        } else if (state instanceof State.Choice choice) {
            transition(x, state, states.choice(x, choice));
        } else if (state instanceof State.Succeed succeed) {
            transition(x, state, states.succeed(x, succeed));
        } else if (state instanceof State.Fail fail) {
            StatesException failure = states.fail(x, fail);
            failExecution(x, failure.error(), failure.cause());
        } else if (state instanceof State.Wait wait) {
            waitState(x, wait);
        } else if (state instanceof State.Task task) {
            startTask(x, task);
        } else {
            throw new IllegalStateException("no executor for state type " + state.type());
        }
    }

    // ---------------------------------------------------------------------------------------------- transitions

    private void enter(Execution x, String name, JsonNode input, String inputText) {
        if (x.stateName != null && deleted.test(x.stateMachineArn)) {
            failExecution(x, StatesErrors.RUNTIME, "State machine " + x.stateMachineName + " has been deleted.");
            return;
        }
        State state = x.definition.state(name);
        x.stateName = name;
        x.stateInput = input;
        x.enteredAt = time.now();
        x.enteredEventId = append(x, state.type() + "StateEntered", "stateEnteredEventDetails",
                Events.state(name, "input", inputText));
        x.retryCount = 0;
        x.retrierAttempts = state instanceof State.Task task ? new int[task.retry().size()] : new int[0];
        x.task = null;
        x.ready = true;
        x.generation++;
    }

    private void transition(Execution x, State state, StateExecutor.Transition transition) {
        String output = Json.checkedPayload(transition.output(), "output of state '" + state.name() + "'");
        append(x, state.type() + "StateExited", "stateExitedEventDetails", Events.state(state.name(), "output", output));
        if (transition.next() == null) {
            append(x, "ExecutionSucceeded", "executionSucceededEventDetails", Events.data("output", output));
            close(x, ExecutionStatus.SUCCEEDED, null, null);
        } else {
            enter(x, transition.next(), transition.output(), output);
        }
    }

    private void failExecution(Execution x, String error, String cause) {
        if (!x.running()) {
            return;
        }
        append(x, "ExecutionFailed", "executionFailedEventDetails", Events.errorDetails(error, cause));
        close(x, ExecutionStatus.FAILED, error, cause);
    }

    private void close(Execution x, ExecutionStatus status, String error, String cause) {
        x.status = status;
        x.stopDate = time.now();
        x.error = error;
        x.cause = cause;
        x.ready = false;
        if (x.executionTimer != null) {
            x.executionTimer.cancel();
        }
        if (x.stateTimer != null) {
            x.stateTimer.cancel();
        }
        if (x.task != null) {
            x.task.stopTimers();
            x.task.cancelled.complete(null);
        }
        flush(x);
        x.task = null;
        x.stateInput = null;
        x.inputNode = null;
        x.input = null;
        x.definition = null;
        onClose.accept(x);
    }

    // ---------------------------------------------------------------------------------------------- Wait

    private void waitState(Execution x, State.Wait wait) {
        Instant until = states.waitUntil(x, wait);
        if (!until.isAfter(time.now())) {
            transition(x, wait, states.waited(x, wait));
            return;
        }
        x.ready = false;
        x.stateTimer = later(x, until, () -> {
            x.stateTimer = null;
            transition(x, wait, states.waited(x, wait));
        });
    }

    /** Runs {@code action} on the execution at {@code at}, if it is still in the same state then. */
    private EngineTime.Timer later(Execution x, Instant at, Runnable action) {
        long generation = x.generation;
        return time.schedule(at, () -> workers.execute(() -> {
            synchronized (x) {
                if (x.running() && x.generation == generation) {
                    guarded(x, action);
                }
            }
            drive(x);
        }));
    }

    /**
     * Runs a step of an execution (under its lock) so that no failure leaves it stuck: a States error fails the
     * execution with that error; anything else is an engine failure, logged, and fails it with States.Runtime.
     */
    private void guarded(Execution x, Runnable step) {
        try {
            step.run();
        } catch (StatesException e) {
            failExecution(x, e.error(), e.cause());
        } catch (RuntimeException e) {
            LOG.error("execution \"{}\" failed in state \"{}\" on an engine error", x.arn, x.stateName, e);
            x.pending.clear();
            try {
                failExecution(x, StatesErrors.RUNTIME, "The embedded engine failed in state '" + x.stateName + "': " + e);
            } catch (RuntimeException again) {
                LOG.error("execution \"{}\" could not record its failure; it is marked failed in memory only", x.arn, again);
                x.status = ExecutionStatus.FAILED;
                x.ready = false;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- Task

    private void startTask(Execution x, State.Task task) {
        x.ready = false;
        JsonNode effective = states.effectiveInput(x, task);
        long scheduledId = x.lastEventId + 1;
        String token = task.resource().pattern() == TaskResource.Pattern.WAIT_FOR_TASK_TOKEN
                ? TaskTokens.issue(x.arn, scheduledId) : null;
        StateExecutor.TaskCall call;
        try {
            call = states.prepareTask(x, task, effective, token);
        } catch (StatesException e) {
            decide(x, task, e.error(), e.cause(), true);
            return;
        }
        ObjectNode scheduled = Events.task(task.resource().service(), task.resource().historyResource());
        scheduled.put("region", region);
        scheduled.put("parameters", Json.write(call.parameters()));
        if (task.timeoutSeconds() != null || task.timeoutSecondsPath() != null) {
            scheduled.put("timeoutInSeconds", call.timeoutSeconds());
        }
        if (call.heartbeatSeconds() != null) {
            scheduled.put("heartbeatInSeconds", call.heartbeatSeconds());
        }
        append(x, "TaskScheduled", "taskScheduledEventDetails", scheduled);
        ObjectNode record = Json.object();
        record.put("@", "task");
        record.put("scheduled", scheduledId);
        record.put("token", token);
        record.put("timeout", call.timeoutSeconds());
        if (call.heartbeatSeconds() != null) {
            record.put("heartbeat", call.heartbeatSeconds());
        }
        x.pending.add(Json.write(record));
        append(x, "TaskStarted", "taskStartedEventDetails",
                Events.task(task.resource().service(), task.resource().historyResource()));
        TaskRun run = new TaskRun(task, scheduledId, token, call.parameters(), time.now(), call.timeoutSeconds(),
                call.heartbeatSeconds());
        x.task = run;
        flush(x);
        armTaskTimers(x, run);
        invoke(x, run);
    }

    /**
     * Calls the task's handler on a worker, outside the execution's lock (the caller holds it), so a slow handler
     * cannot stall the API; a completion that arrives after the task ended is ignored ({@code x.task != run}).
     */
    private void invoke(Execution x, TaskRun run) {
        TaskHandler handler = handlers.handler(run.state.resource());
        TaskRequest request = new TaskRequest(run.state.resource(), run.parameters, run.token, x.arn, run.state.name(),
                run.cancelled);
        workers.execute(() -> {
            CompletableFuture<JsonNode> result;
            try {
                result = handler.start(request);
            } catch (RuntimeException e) {
                result = CompletableFuture.failedFuture(e);
            }
            result.whenComplete((value, failure) -> workers.execute(() -> taskCompleted(x, run, value, failure)));
        });
    }

    private void taskCompleted(Execution x, TaskRun run, JsonNode result, Throwable failure) {
        synchronized (x) {
            if (!x.running() || x.task != run) {
                return;
            }
            guarded(x, () -> recordCompletion(x, run, result, failure));
        }
        drive(x);
    }

    private void recordCompletion(Execution x, TaskRun run, JsonNode result, Throwable failure) {
        TaskResource resource = run.state.resource();
        if (failure != null) {
            StatesException error = statesException(failure);
            taskFailed(x, run, "TaskFailed", error.error(), error.cause());
        } else if (run.token != null) {
            if (!run.submitted) {
                run.submitted = true;
                ObjectNode details = Events.task(resource.service(), resource.historyResource());
                details.setAll(Events.data("output", Json.write(result == null ? Json.NODES.nullNode() : result)));
                append(x, "TaskSubmitted", "taskSubmittedEventDetails", details);
            }
        } else {
            taskSucceeded(x, run, result == null ? Json.NODES.nullNode() : result);
        }
        flush(x);
    }

    private void taskSucceeded(Execution x, TaskRun run, JsonNode result) {
        run.stopTimers();
        x.task = null;
        TaskResource resource = run.state.resource();
        ObjectNode details = Events.task(resource.service(), resource.historyResource());
        details.setAll(Events.data("output", Json.write(result)));
        append(x, "TaskSucceeded", "taskSucceededEventDetails", details);
        StateExecutor.Transition transition;
        try {
            transition = states.taskResult(x, run.state, result);
        } catch (StatesException e) {
            decide(x, run.state, e.error(), e.cause(), false);
            return;
        }
        try {
            transition(x, run.state, transition);
        } catch (StatesException e) {
            failExecution(x, e.error(), e.cause());
        }
    }

    /** Records how a task ended badly (TaskFailed or TaskTimedOut), then lets Retry and Catch decide. */
    private void taskFailed(Execution x, TaskRun run, String eventType, String error, String cause) {
        TaskResource resource = run.state.resource();
        ObjectNode details = Events.task(resource.service(), resource.historyResource());
        details.setAll(Events.errorDetails(error, cause));
        append(x, eventType, eventType.equals("TaskTimedOut") ? "taskTimedOutEventDetails" : "taskFailedEventDetails", details);
        run.stopTimers();
        run.cancelled.complete(null);
        x.task = null;
        decide(x, run.state, error, cause, true);
    }

    private void decide(Execution x, State.Task task, String error, String cause, boolean mayRetry) {
        StateExecutor.ErrorDecision decision = states.onError(x, task, error, cause, mayRetry);
        if (decision instanceof StateExecutor.ErrorDecision.Retry retry) {
            x.retrierAttempts[retry.retrier()]++;
            x.retryCount++;
            Instant at = time.now().plusMillis(retry.delayMillis());
            ObjectNode record = Json.object();
            record.put("@", "retry");
            record.put("retrier", retry.retrier());
            record.put("at", at.toEpochMilli());
            x.pending.add(Json.write(record));
            x.ready = false;
            flush(x);
            x.stateTimer = later(x, at, () -> {
                x.stateTimer = null;
                startTask(x, task);
            });
        } else if (decision instanceof StateExecutor.ErrorDecision.Catch caught) {
            String output = Json.checkedPayload(caught.output(), "output of state '" + task.name() + "'");
            append(x, "TaskStateExited", "stateExitedEventDetails", Events.state(task.name(), "output", output));
            enter(x, caught.next(), caught.output(), output);
        } else {
            StateExecutor.ErrorDecision.Fail fail = (StateExecutor.ErrorDecision.Fail) decision;
            failExecution(x, fail.error(), fail.cause());
        }
    }

    private void armTaskTimers(Execution x, TaskRun run) {
        run.timeoutTimer = time.schedule(run.deadline(), () -> workers.execute(() -> taskTimedOut(x, run, false)));
        armHeartbeat(x, run);
    }

    private void armHeartbeat(Execution x, TaskRun run) {
        if (run.heartbeatTimer != null) {
            run.heartbeatTimer.cancel();
        }
        if (run.heartbeatSeconds != null) {
            run.heartbeatTimer = time.schedule(run.heartbeatDeadline(), () -> workers.execute(() -> taskTimedOut(x, run, true)));
        }
    }

    private void taskTimedOut(Execution x, TaskRun run, boolean heartbeat) {
        synchronized (x) {
            if (!x.running() || x.task != run) {
                return;
            }
            Instant deadline = heartbeat ? run.heartbeatDeadline() : run.deadline();
            if (deadline.isAfter(time.now())) {
                // A timer may fire a little early; one superseded by a heartbeat was cancelled and re-armed.
                if (heartbeat) {
                    armHeartbeat(x, run);
                } else {
                    run.timeoutTimer = time.schedule(deadline, () -> workers.execute(() -> taskTimedOut(x, run, false)));
                }
                return;
            }
            guarded(x, () -> timeOut(x, run, heartbeat));
        }
        drive(x);
    }

    private void timeOut(Execution x, TaskRun run, boolean heartbeat) {
        String error = heartbeat ? StatesErrors.HEARTBEAT_TIMEOUT : StatesErrors.TIMEOUT;
        String cause = heartbeat
                ? "No heartbeat arrived for the task of state '" + run.state.name() + "' within " + run.heartbeatSeconds + " seconds."
                : "The task of state '" + run.state.name() + "' did not finish within its timeout of " + run.timeoutSeconds + " seconds.";
        taskFailed(x, run, "TaskTimedOut", error, cause);
        flush(x);
    }

    // ---------------------------------------------------------------------------------------------- callbacks

    /** Why a callback was refused: the token's task is not waiting (any more). */
    public static final class TaskNotWaiting extends Exception {
        TaskNotWaiting(String message) {
            super(message);
        }
    }

    public void sendTaskSuccess(Execution x, String token, JsonNode output) throws TaskNotWaiting {
        synchronized (x) {
            TaskRun run = waiting(x, token);
            taskSucceeded(x, run, output);
            flush(x);
        }
        submit(x);
    }

    public void sendTaskFailure(Execution x, String token, String error, String cause) throws TaskNotWaiting {
        synchronized (x) {
            TaskRun run = waiting(x, token);
            taskFailed(x, run, "TaskFailed", error, cause);
            flush(x);
        }
        submit(x);
    }

    public void sendTaskHeartbeat(Execution x, String token) throws TaskNotWaiting {
        synchronized (x) {
            TaskRun run = waiting(x, token);
            if (run.heartbeatSeconds == null) {
                return;
            }
            run.lastHeartbeat = time.now();
            ObjectNode record = Json.object();
            record.put("@", "heartbeat");
            record.put("at", run.lastHeartbeat.toEpochMilli());
            x.pending.add(Json.write(record));
            flush(x);
            armHeartbeat(x, run);
        }
    }

    private static TaskRun waiting(Execution x, String token) throws TaskNotWaiting {
        TaskRun run = x.task;
        if (!x.running() || run == null || run.token == null || !run.token.equals(token)) {
            throw new TaskNotWaiting("Task Timed Out: 'Provided task does not exist anymore'");
        }
        return run;
    }

    // ---------------------------------------------------------------------------------------------- stop, timeout

    /** StopExecution: aborts the current state and ends the execution ABORTED. Returns the stop date. */
    public Instant stop(Execution x, String error, String cause) {
        synchronized (x) {
            if (!x.running()) {
                return x.stopDate;
            }
            abortState(x);
            append(x, "ExecutionAborted", "executionAbortedEventDetails", Events.errorDetails(error, cause));
            close(x, ExecutionStatus.ABORTED, error, cause);
            return x.stopDate;
        }
    }

    private void armExecutionTimeout(Execution x) {
        Integer timeout = x.definition.timeoutSeconds();
        if (timeout == null) {
            return;
        }
        x.executionTimer = time.schedule(x.startDate.plusSeconds(timeout), () -> workers.execute(() -> {
            synchronized (x) {
                if (!x.running()) {
                    return;
                }
                guarded(x, () -> {
                    abortState(x);
                    String cause = "The execution ran longer than its TimeoutSeconds of " + timeout + " seconds.";
                    append(x, "ExecutionTimedOut", "executionTimedOutEventDetails",
                            Events.errorDetails(StatesErrors.TIMEOUT, cause));
                    close(x, ExecutionStatus.TIMED_OUT, StatesErrors.TIMEOUT, cause);
                });
            }
        }));
    }

    private void abortState(Execution x) {
        if (x.stateName == null || x.definition == null) {
            return;
        }
        State state = x.definition.state(x.stateName);
        if (state instanceof State.Task || state instanceof State.Wait) {
            append(x, state.type() + "StateAborted", null, null);
        }
    }

    // ---------------------------------------------------------------------------------------------- restart

    /**
     * Continues an execution read back from its journal: a Wait waits out what is left of it; a Task whose callback
     * was submitted keeps waiting for its token (and is not invoked again); an interrupted {@code .sync} task fails
     * with States.TaskFailed so that nothing is applied twice; a request-response or callback task that had not
     * answered yet is invoked again; every other state runs again from its entry.
     */
    public void resume(Execution x, List<JsonNode> lines) {
        synchronized (x) {
            Replay replay = Replay.of(x, lines);
            armExecutionTimeout(x);
            State state = x.definition.state(x.stateName);
            if (replay.phase == Replay.Phase.RETRY_WAIT) {
                State.Task task = (State.Task) state;
                x.stateTimer = later(x, replay.retryAt, () -> {
                    x.stateTimer = null;
                    startTask(x, task);
                });
            } else if (replay.phase == Replay.Phase.TASK_FAILED) {
                decide(x, (State.Task) state, replay.error, replay.cause, true);
            } else if (replay.phase == Replay.Phase.SCHEDULED || replay.phase == Replay.Phase.SUBMITTED) {
                State.Task task = (State.Task) state;
                TaskRun run = new TaskRun(task, replay.scheduledId, replay.token, replay.parameters, replay.scheduledAt,
                        replay.timeoutSeconds, replay.heartbeatSeconds);
                run.lastHeartbeat = replay.lastHeartbeat;
                run.submitted = replay.phase == Replay.Phase.SUBMITTED;
                x.task = run;
                if (task.resource().pattern() == TaskResource.Pattern.SYNC && !run.submitted) {
                    String cause = "The task of state '" + task.name() + "' was interrupted by an engine restart; it is not"
                            + " run again so that nothing is applied twice.";
                    taskFailed(x, run, "TaskFailed", StatesErrors.TASK_FAILED, cause);
                } else {
                    armTaskTimers(x, run);
                    if (!run.submitted) {
                        LOG.info("execution \"{}\": calling the task of state \"{}\" again after a restart", x.arn, task.name());
                        invoke(x, run);
                    }
                }
            } else {
                x.ready = true;
            }
            flush(x);
        }
        submit(x);
    }

    // ---------------------------------------------------------------------------------------------- events

    private long append(Execution x, String type, String detailsField, ObjectNode details) {
        long id = ++x.lastEventId;
        x.pending.add(Json.write(Events.event(id, id - 1, time.now(), type, detailsField, details)));
        return id;
    }

    private static void flush(Execution x) {
        if (!x.pending.isEmpty()) {
            x.journal.append(x.pending);
            x.pending.clear();
        }
    }

    private static StatesException statesException(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof StatesException statesException) {
            return statesException;
        }
        if (cause instanceof java.util.concurrent.CancellationException) {
            return new StatesException(StatesErrors.TASK_FAILED, "The task was cancelled.");
        }
        return new StatesException(StatesErrors.TASK_FAILED, cause.getClass().getName() + ": " + cause.getMessage());
    }
}
