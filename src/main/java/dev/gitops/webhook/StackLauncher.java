package dev.gitops.webhook;

import dev.gitops.approval.Superseding;
import dev.gitops.changes.Detection;
import dev.gitops.comments.PlanComments;
import dev.gitops.changes.GitMirror;
import dev.gitops.changes.StackChange;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.ExecutionNames;
import dev.gitops.notify.CommitStatuses;
import dev.gitops.pipeline.ExecutionStarter;
import dev.gitops.runtime.Background;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts one execution per changed stack, from the commit's source archive ({@link SourceArchives}): its input and name (both from the delivery, so a redelivery meets what it
 * started), then, as {@link Background} work, each new execution's commit status ({@code gitops/<env>/<stack>}
 * pending) and, for a push, the superseding of older executions waiting for approval on the same stack.
 */
@Singleton
class StackLauncher {
    private final ExecutionStarter starter;
    private final Superseding superseding;
    private final CommitStatuses statuses;
    private final Background background;
    private final SourceArchives sources;
    private final PlanComments comments;

    StackLauncher(ExecutionStarter starter, Superseding superseding, CommitStatuses statuses, Background background,
                  SourceArchives sources, PlanComments comments) {
        this.comments = comments;
        this.starter = starter;
        this.superseding = superseding;
        this.statuses = statuses;
        this.background = background;
        this.sources = sources;
    }

    /** @return {@link Answer.Started}, or {@link Answer.PartialStart} when some executions could not be started */
    Answer launch(Work work, Detection.Stacks found) {
        return start(work, found, null);
    }

    /**
     * The same push again under another delivery id: the executions are the first delivery's (its names and input),
     * so Step Functions answers them as already started and nothing new runs; a start the first delivery did not
     * complete is completed here, with its commit status and superseding as a first start would have.
     */
    Answer relaunch(Work work, String firstDelivery, Detection.Stacks found) {
        return start(work.as(firstDelivery), found, work.delivery());
    }

    private Answer start(Work work, Detection.Stacks found, String duplicate) {
        String env = work.environment().name();
        String delivery = duplicate == null ? work.delivery() : duplicate;
        ExecutionInput.Source source;
        try {
            source = sources.of(work.repository(), work.request().after());
        } catch (IOException e) {
            return new Answer.PartialStart("source-unavailable", "the source archive of " + work.request().after()
                    + " could not be kept, so nothing was started (GitHub's redelivery tries again): " + e.getMessage(),
                    delivery, List.of());
        }
        List<ExecutionStarter.Planned> planned = new ArrayList<>();
        Map<String, ExecutionInput> byName = new HashMap<>();
        for (StackChange stack : found.stacks()) {
            ExecutionInput input = input(work, stack, source);
            String name = ExecutionNames.of(env, stack.name(), work.request().after(), work.delivery(), input.lockId());
            planned.add(new ExecutionStarter.Planned(name, input));
            byName.put(name, input);
        }
        ExecutionStarter.Outcome outcome = starter.start(planned, duplicate != null);
        background.run("after starting the executions of delivery " + work.delivery(), () -> afterStart(work, byName, outcome));
        List<Answer.Execution> executions = outcome.started().stream()
                .map(s -> new Answer.Execution(s.name(), s.executionArn())).toList();
        if (!outcome.complete()) {
            return new Answer.PartialStart("partial-start", "started " + outcome.started().size() + " of " + planned.size()
                    + " executions; GitHub's redelivery of " + work.delivery() + " starts the rest: "
                    + String.join("; ", outcome.failures()), delivery, executions, outcome.uncertain());
        }
        return new Answer.Started(delivery, work.event(), env, work.request().after(), work.mode(),
                found.stacks().stream().map(s -> new Answer.Stack(s.name(), s.dir(), s.reasons())).toList(),
                found.skipped(), executions, duplicate == null ? null : work.delivery());
    }

    private static ExecutionInput input(Work work, StackChange stack, ExecutionInput.Source source) {
        String env = work.environment().name();
        boolean planOnly = work.mode() == ExecutionInput.Mode.PLAN;
        return new ExecutionInput(work.repository(), GitMirror.redactUrl(work.cloneUrl()), work.request().ref(),
                work.branch(), work.request().after(), work.request().before(), env, work.mode(),
                new ExecutionInput.Stack(stack.name(), stack.dir(), stack.backendConfig(), stack.varFile()),
                ExecutionInput.lockId(work.repository(), stack.dir(), env), work.trigger(),
                new ExecutionInput.Gate(work.environment().approvalRequired() && !planOnly,
                        work.environment().approvalTimeout().toSeconds()), source);
    }

    /**
     * For each execution just started: the commit's status goes pending, a pull request's plan comment says the stack
     * is planning, and a push supersedes older executions of the same stack and environment waiting for approval
     * (DESIGN.md's rule). A redelivery started nothing new.
     */
    private void afterStart(Work work, Map<String, ExecutionInput> inputs, ExecutionStarter.Outcome outcome) {
        String env = work.environment().name();
        for (ExecutionStarter.Started started : outcome.started()) {
            ExecutionInput input = inputs.get(started.name());
            if (!started.created() || input == null) {
                continue;
            }
            ExecutionInput.Stack stack = input.stack();
            boolean planOnly = work.mode() == ExecutionInput.Mode.PLAN;
            statuses.set(work.repository(), work.request().after(), CommitStatuses.context(env, stack.name()),
                    CommitStatuses.State.PENDING, planOnly ? "planning (plan only)" : "planning", null);
            if (planOnly) {
                comments.started(input, started.executionArn());
            } else {
                superseding.afterStart(work.repository(), ExecutionInput.lockId(work.repository(), stack.dir(), env),
                        work.request().after(), started.executionArn(), work.branch(), work.trigger().forced());
            }
        }
    }
}
