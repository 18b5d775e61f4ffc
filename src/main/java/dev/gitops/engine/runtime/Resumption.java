package dev.gitops.engine.runtime;

import dev.gitops.engine.asl.State;
import dev.gitops.engine.data.Json;

import java.util.Arrays;

/**
 * Puts a running execution back together after a restart from what {@link Replay} read, and lets it continue: each
 * run goes back to its state; a Map or Parallel state gets its fork back with the results of the branches and
 * iterations that had ended (from the journal, so they do not run again) and the runs of those that had not. Then each
 * run continues: a Wait waits out what is left of it (its timer counts from its entry); a retry waits out its backoff;
 * a Task continues as {@link TaskSteps#resume} says; any other state runs again from its entry.
 */
final class Resumption {
    private final Interpreter in;
    private final Replay replay;

    Resumption(Interpreter interpreter, Replay replay) {
        this.in = interpreter;
        this.replay = replay;
    }

    void resume(Execution x) {
        Run root = new Run(x, x.definition.machine(), null, 0, null);
        x.root = root;
        Replay.Position position = replay.root();
        place(root, position);
        proceed(root, position);
    }

    /** Puts a run where its position says, with the branches or iterations of its Map or Parallel state. */
    private void place(Run r, Replay.Position p) {
        r.stateName = p.stateName;
        r.stateInput = Json.parseTrusted(p.inputText);
        r.enteredAt = p.enteredAt;
        r.enteredEventId = p.enteredEventId;
        r.lastEventId = p.lastEventId;
        r.retryCount = p.retryCount;
        State state = r.state();
        int retriers = state instanceof State.Recoverable recoverable ? recoverable.retry().size() : 0;
        r.retrierAttempts = Arrays.copyOf(p.retrierAttempts, retriers);
        if (p.phase != Replay.Phase.FORKED) {
            return;
        }
        Replay.ForkLog log = replay.forks.get(p.forkId);
        Fork f = state instanceof State.Map map ? in.forks.prepare(r, map, log.id)
                : in.forks.prepare(r, (State.Parallel) state, log.id);
        r.fork = f;
        f.next = f.isMap() ? log.started : f.size;
        for (int i = 0; i < f.next; i++) {
            Replay.Position child = replay.positions.get(f.scope(i));
            String[] failure = log.failed.get(i);
            if (f.isMap() && log.succeeded.contains(i)) {
                f.results[i] = Json.parseTrusted(child.outputText);
                f.finished++;
            } else if (failure != null) {
                f.results[i] = ForkSteps.errorOutput(failure[0], failure[1]);
                f.failed++;
                f.finished++;
            } else if (!f.isMap() && child != null && child.phase == Replay.Phase.EXITED) {
                f.results[i] = Json.parseTrusted(child.outputText);
                f.finished++;
            } else if (child == null || child.stateName == null) {
                throw new IllegalStateException("the journal of " + r.execution.arn + " started branch or iteration "
                        + i + " of state '" + r.stateName + "' without entering a state in it");
            } else {
                Run run = in.forks.child(f, i);
                place(run, child);
                f.children[i] = run;
                f.running++;
            }
        }
    }

    /** Lets a placed run continue what it was doing. */
    private void proceed(Run r, Replay.Position p) {
        if (r.done || !r.execution.running()) {
            return;
        }
        switch (p.phase) {
            case FORKED -> {
                Fork f = r.fork;
                for (Run child : f.children.clone()) {
                    if (child != null) {
                        proceed(child, replay.positions.get(child.scope));
                    }
                }
                in.guarded(r, () -> {
                    in.forks.fill(f);
                    in.forks.complete(f);
                });
            }
            case RETRY_WAIT -> {
                State.Recoverable state = (State.Recoverable) r.state();
                r.stateTimer = in.later(r, p.retryAt, () -> {
                    r.stateTimer = null;
                    in.restart(r, state);
                });
            }
            case TASK_FAILED -> in.guarded(r, () -> in.decide(r, (State.Task) r.state(), p.error, p.cause, true));
            case SCHEDULED, SUBMITTED -> in.guarded(r, () -> in.tasks.resume(r, p));
            case ENTERED -> in.ready(r);
            case EXITED -> throw new IllegalStateException("the journal of " + r.execution.arn
                    + " ends with state '" + r.stateName + "' exited and nothing after it");
            default -> throw new IllegalStateException("unknown phase " + p.phase);
        }
    }
}
