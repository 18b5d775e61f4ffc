package dev.gitops.webhook;

import dev.gitops.changes.ChangeRequest;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.routing.Environment;

/**
 * A routed delivery: what to compare, in which environment, and how to start what changed.
 *
 * @param cloneUrl where to fetch from (from {@code gitops.git.url-template} or the payload)
 * @param branch   the pushed branch, or a pull request's head branch
 * @param content  what the signature covers that tells this push from another on the same ref: {@code before..after};
 *                 for a pull request its base and head commits and when it last changed
 */
record Work(String event, String delivery, String repository, ChangeRequest request, Environment environment,
            ExecutionInput.Mode mode, String cloneUrl, String branch, ExecutionInput.Trigger trigger, String content)
        implements Routed {

    /** The same work as delivered under {@code other}: the executions that delivery started have its names and input. */
    Work as(String other) {
        ExecutionInput.Trigger t = trigger;
        return new Work(event, other, repository, request, environment, mode, cloneUrl, branch,
                new ExecutionInput.Trigger(t.event(), other, t.sender(), t.compareUrl(), t.message(), t.forced(), t.pullRequest()),
                content);
    }
}
