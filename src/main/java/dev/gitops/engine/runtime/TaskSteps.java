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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Task states for the {@link Interpreter}: scheduling a task and calling its handler outside the execution's lock,
 * its completion, timeouts and heartbeats, task-token callbacks, and continuing a task after a restart. Works on any
 * {@link Run}: the top level, a Parallel branch or a Map iteration; a token names its TaskScheduled event, which finds
 * the task whichever run it belongs to.
 */
final class TaskSteps {
    private static final Logger LOG = LoggerFactory.getLogger(Interpreter.class);

    private final Interpreter in;
    private final TaskHandlers handlers;

    TaskSteps(Interpreter interpreter, TaskHandlers handlers) {
        this.in = interpreter;
        this.handlers = handlers;
    }

    /** Schedules and starts a Task state's task (and again on each retry). */
    void execute(Run r, State.Task task) {
        Execution x = r.execution;
        JsonNode effective = in.states.effectiveInput(r, task);
        long scheduledId = x.lastEventId + 1;
        String token = task.resource().pattern() == TaskResource.Pattern.WAIT_FOR_TASK_TOKEN
                ? TaskTokens.issue(x.arn, scheduledId) : null;
        StateExecutor.TaskCall call;
        try {
            call = in.states.prepareTask(r, task, effective, token);
        } catch (StatesException e) {
            in.decide(r, task, e.error(), e.cause(), true);
            return;
        }
        ObjectNode scheduled = Events.task(task.resource().service(), task.resource().historyResource());
        scheduled.put("region", in.region);
        scheduled.put("parameters", Json.write(call.parameters()));
        if (task.timeoutSeconds() != null || task.timeoutSecondsPath() != null) {
            scheduled.put("timeoutInSeconds", call.timeoutSeconds());
        }
        if (call.heartbeatSeconds() != null) {
            scheduled.put("heartbeatInSeconds", call.heartbeatSeconds());
        }
        in.append(r, "TaskScheduled", "taskScheduledEventDetails", scheduled);
        ObjectNode record = Interpreter.record(r, "task");
        record.put("scheduled", scheduledId);
        record.put("token", token);
        record.put("timeout", call.timeoutSeconds());
        if (call.heartbeatSeconds() != null) {
            record.put("heartbeat", call.heartbeatSeconds());
        }
        x.pending.add(Json.write(record));
        in.append(r, "TaskStarted", "taskStartedEventDetails",
                Events.task(task.resource().service(), task.resource().historyResource()));
        TaskRun run = new TaskRun(r, task, scheduledId, token, call.parameters(), in.time.now(), call.timeoutSeconds(),
                call.heartbeatSeconds());
        track(run);
        Interpreter.flush(x);
        armTimers(run);
        invoke(run);
    }

    private static void track(TaskRun run) {
        run.owner.task = run;
        run.owner.execution.tasks.put(run.scheduledEventId, run);
    }

    private static void untrack(TaskRun run) {
        run.stopTimers();
        if (run.owner.task == run) {
            run.owner.task = null;
        }
        run.owner.execution.tasks.remove(run.scheduledEventId);
    }

    /**
     * Calls the task's handler on a worker, outside the execution's lock (the caller holds it), so a slow handler
     * cannot stall the API; a completion that arrives after the task ended is ignored ({@code owner.task != run}).
     */
    private void invoke(TaskRun run) {
        Execution x = run.owner.execution;
        TaskHandler handler = handlers.handler(run.state.resource());
        TaskRequest request = new TaskRequest(run.state.resource(), run.parameters, run.token, x.arn, run.state.name(),
                run.cancelled);
        in.workers.execute(() -> {
            CompletableFuture<JsonNode> result;
            try {
                result = handler.start(request);
            } catch (RuntimeException e) {
                result = CompletableFuture.failedFuture(e);
            }
            result.whenComplete((value, failure) -> in.workers.execute(() -> completed(run, value, failure)));
        });
    }

    private static boolean current(TaskRun run) {
        Run owner = run.owner;
        return owner.execution.running() && !owner.done && owner.task == run;
    }

    private void completed(TaskRun run, JsonNode result, Throwable failure) {
        Execution x = run.owner.execution;
        synchronized (x) {
            if (!current(run)) {
                return;
            }
            in.guarded(run.owner, () -> recordCompletion(run, result, failure));
        }
        in.drive(x);
    }

    private void recordCompletion(TaskRun run, JsonNode result, Throwable failure) {
        TaskResource resource = run.state.resource();
        if (failure != null) {
            StatesException error = statesException(failure);
            failed(run, "TaskFailed", error.error(), error.cause());
        } else if (run.token != null) {
            if (!run.submitted) {
                run.submitted = true;
                ObjectNode details = Events.task(resource.service(), resource.historyResource());
                details.setAll(Events.data("output", Json.write(result == null ? Json.NODES.nullNode() : result)));
                in.append(run.owner, "TaskSubmitted", "taskSubmittedEventDetails", details);
            }
        } else {
            succeeded(run, result == null ? Json.NODES.nullNode() : result);
        }
        Interpreter.flush(run.owner.execution);
    }

    private void succeeded(TaskRun run, JsonNode result) {
        Run r = run.owner;
        untrack(run);
        TaskResource resource = run.state.resource();
        ObjectNode details = Events.task(resource.service(), resource.historyResource());
        details.setAll(Events.data("output", Json.write(result)));
        in.append(r, "TaskSucceeded", "taskSucceededEventDetails", details);
        StateExecutor.Transition transition;
        try {
            transition = in.states.result(r, run.state, result);
        } catch (StatesException e) {
            in.decide(r, run.state, e.error(), e.cause(), false);
            return;
        }
        try {
            in.transition(r, run.state, transition);
        } catch (StatesException e) {
            in.failRun(r, e.error(), e.cause());
        }
    }

    /** Records how a task ended badly (TaskFailed or TaskTimedOut), then lets Retry and Catch decide. */
    void failed(TaskRun run, String eventType, String error, String cause) {
        TaskResource resource = run.state.resource();
        ObjectNode details = Events.task(resource.service(), resource.historyResource());
        details.setAll(Events.errorDetails(error, cause));
        in.append(run.owner, eventType, eventType.equals("TaskTimedOut") ? "taskTimedOutEventDetails" : "taskFailedEventDetails",
                details);
        untrack(run);
        run.cancelled.complete(null);
        in.decide(run.owner, run.state, error, cause, true);
    }

    void armTimers(TaskRun run) {
        run.timeoutTimer = in.time.schedule(run.deadline(), () -> in.workers.execute(() -> timedOut(run, false)));
        armHeartbeat(run);
    }

    private void armHeartbeat(TaskRun run) {
        if (run.heartbeatTimer != null) {
            run.heartbeatTimer.cancel();
        }
        if (run.heartbeatSeconds != null) {
            run.heartbeatTimer = in.time.schedule(run.heartbeatDeadline(), () -> in.workers.execute(() -> timedOut(run, true)));
        }
    }

    private void timedOut(TaskRun run, boolean heartbeat) {
        Execution x = run.owner.execution;
        synchronized (x) {
            if (!current(run)) {
                return;
            }
            Instant deadline = heartbeat ? run.heartbeatDeadline() : run.deadline();
            if (deadline.isAfter(in.time.now())) {
                // A timer may fire a little early; one superseded by a heartbeat was cancelled and re-armed.
                if (heartbeat) {
                    armHeartbeat(run);
                } else {
                    run.timeoutTimer = in.time.schedule(deadline, () -> in.workers.execute(() -> timedOut(run, false)));
                }
                return;
            }
            in.guarded(run.owner, () -> timeOut(run, heartbeat));
        }
        in.drive(x);
    }

    private void timeOut(TaskRun run, boolean heartbeat) {
        String error = heartbeat ? StatesErrors.HEARTBEAT_TIMEOUT : StatesErrors.TIMEOUT;
        String cause = heartbeat
                ? "No heartbeat arrived for the task of state '" + run.state.name() + "' within " + run.heartbeatSeconds + " seconds."
                : "The task of state '" + run.state.name() + "' did not finish within its timeout of " + run.timeoutSeconds + " seconds.";
        failed(run, "TaskTimedOut", error, cause);
        Interpreter.flush(run.owner.execution);
    }

    // ---------------------------------------------------------------------------------------------- callbacks

    void sendTaskSuccess(Execution x, String token, JsonNode output) throws Interpreter.TaskNotWaiting {
        synchronized (x) {
            TaskRun run = waiting(x, token);
            in.guarded(run.owner, () -> succeeded(run, output));
            Interpreter.flush(x);
        }
        in.submit(x);
    }

    void sendTaskFailure(Execution x, String token, String error, String cause) throws Interpreter.TaskNotWaiting {
        synchronized (x) {
            TaskRun run = waiting(x, token);
            in.guarded(run.owner, () -> failed(run, "TaskFailed", error, cause));
            Interpreter.flush(x);
        }
        in.submit(x);
    }

    void sendTaskHeartbeat(Execution x, String token) throws Interpreter.TaskNotWaiting {
        synchronized (x) {
            TaskRun run = waiting(x, token);
            if (run.heartbeatSeconds == null) {
                return;
            }
            run.lastHeartbeat = in.time.now();
            ObjectNode record = Interpreter.record(run.owner, "heartbeat");
            record.put("at", run.lastHeartbeat.toEpochMilli());
            x.pending.add(Json.write(record));
            Interpreter.flush(x);
            armHeartbeat(run);
        }
    }

    private static TaskRun waiting(Execution x, String token) throws Interpreter.TaskNotWaiting {
        TaskTokens.Token decoded = TaskTokens.decode(token);
        TaskRun run = decoded == null ? null : x.tasks.get(decoded.scheduledEventId());
        if (!x.running() || run == null || run.token == null || !run.token.equals(token) || !current(run)) {
            throw new Interpreter.TaskNotWaiting("Task Timed Out: 'Provided task does not exist anymore'");
        }
        return run;
    }

    // ---------------------------------------------------------------------------------------------- restart

    /**
     * Continues a task read back from the journal: one whose callback was submitted keeps waiting for its token (and
     * is not invoked again); an interrupted {@code .sync} task fails with States.TaskFailed so that nothing is applied
     * twice; a request-response or callback task that had not answered yet is invoked again.
     */
    void resume(Run r, Replay.Position p) {
        State.Task task = (State.Task) r.state();
        TaskRun run = new TaskRun(r, task, p.scheduledId, p.token, p.parameters(), p.scheduledAt, p.timeoutSeconds,
                p.heartbeatSeconds);
        run.lastHeartbeat = p.lastHeartbeat;
        run.submitted = p.phase == Replay.Phase.SUBMITTED;
        track(run);
        if (task.resource().pattern() == TaskResource.Pattern.SYNC && !run.submitted) {
            String cause = "The task of state '" + task.name() + "' was interrupted by an engine restart; it is not"
                    + " run again so that nothing is applied twice.";
            failed(run, "TaskFailed", StatesErrors.TASK_FAILED, cause);
        } else {
            armTimers(run);
            if (!run.submitted) {
                LOG.info("execution \"{}\": calling the task of state \"{}\" again after a restart", r.execution.arn,
                        task.name());
                invoke(run);
            }
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
