package dev.gitops.comments;

import dev.gitops.approval.PlanText;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.ExecutionNames;
import dev.gitops.execution.PlanResult;
import dev.gitops.http.PublicUrl;
import dev.gitops.notify.GithubApi;
import dev.gitops.notify.GithubComments;
import dev.gitops.notify.GithubConfiguration;
import dev.gitops.runtime.Background;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.UUID;

/**
 * A pull request's plan-only runs answer it with one comment per environment, created once and edited in place as
 * each stack starts planning and finishes, on this push and every later one ({@code gitops.github.pr-comments}; on
 * when a GitHub token is set). Each update writes its stack's entry ({@link CommentStore}), then renders the whole
 * comment from the item and edits it; whoever edits checks afterwards that no newer change came meanwhile, and edits
 * again if one did, so the comment ends with every stack's latest state whatever order the executions end in. Only
 * the first update creates the comment (a claim in the item), after looking for one with the marker (the item may
 * have expired). Runs as background work; GitHub outages are logged and never fail the pipeline.
 */
@Singleton
public class PlanComments {
    private static final Logger LOG = LoggerFactory.getLogger(PlanComments.class);
    /** Edits of one update at most (each one because a newer change came while the last was sent). */
    static final int EDITS = 5;

    private final CommentStore store;
    private final GithubComments github;
    private final PlanText planText;
    private final PublicUrl publicUrl;
    private final Background background;
    private final Clock clock;
    private final boolean enabled;

    PlanComments(CommentStore store, GithubComments github, GithubConfiguration config, PlanText planText,
                 PublicUrl publicUrl, Background background, Clock clock) {
        this.store = store;
        this.github = github;
        this.planText = planText;
        this.publicUrl = publicUrl;
        this.background = background;
        this.clock = clock;
        this.enabled = config.getPrComments() == null ? github.configured() : config.getPrComments();
    }

    /** A pull request's plan-only execution has started: its stack is planning. */
    public void started(ExecutionInput input, String executionArn) {
        if (applies(input)) {
            update(input, new StackPlan(input.stack().name(), input.stack().dir(), StackPlan.Status.PLANNING, input.sha(),
                    ExecutionNames.fromArn(executionArn), 0, 0, 0, null, null, null, clock.instant().toString()), true);
        }
    }

    /**
     * A pull request's plan-only execution has ended.
     *
     * @param succeeded whether it ended {@code SUCCEEDED}
     * @param plan      its plan's result (null when it has none)
     * @param cause     a failure's sentence (the execution's cause), or null
     */
    public void ended(ExecutionInput input, String executionArn, boolean succeeded, PlanResult plan, String cause) {
        if (!applies(input)) {
            return;
        }
        PlanResult.Summary summary = plan == null || plan.summary() == null ? PlanResult.Summary.NONE : plan.summary();
        StackPlan.Status status = !succeeded ? StackPlan.Status.FAILED
                : plan != null && Boolean.TRUE.equals(plan.changes()) ? StackPlan.Status.PLANNED : StackPlan.Status.NO_CHANGES;
        update(input, new StackPlan(input.stack().name(), input.stack().dir(), status, input.sha(),
                ExecutionNames.fromArn(executionArn), summary.add(), summary.change(), summary.destroy(),
                plan == null ? null : plan.location(), plan == null ? null : plan.textSha256(),
                succeeded ? null : cause == null || cause.isBlank() ? "the plan failed" : cause, clock.instant().toString()), false);
    }

    private boolean applies(ExecutionInput input) {
        return enabled && input != null && input.planOnly() && input.trigger() != null
                && input.trigger().pullRequest() != null && input.stack() != null && input.stack().dir() != null
                && input.repository() != null && input.environment() != null;
    }

    private void update(ExecutionInput input, StackPlan plan, boolean start) {
        CommentStore.Key key = new CommentStore.Key(input.repository(), input.trigger().pullRequest(), input.environment());
        String what = "the plan comment of " + key.repository() + "#" + key.number() + " in " + key.environment();
        background.run("updating " + what, () -> {
            try {
                store.put(key, plan, start, clock.instant()).ifPresent(comment -> publish(comment, what));
            } catch (RuntimeException e) {
                LOG.warn("{} was not updated: {} (the pipeline goes on)", what, e.toString());
            }
        });
    }

    private void publish(CommentStore.Comment comment, String what) {
        CommentStore.Key key = comment.key();
        Long id = comment.commentId();
        long rendered = -1;
        if (id == null) {
            String me = UUID.randomUUID().toString();
            CommentStore.Claim claim = store.claim(key, me, clock.instant());
            if (!claim.claimed() && claim.commentId() == null) {
                return; // another update is creating it, and will render this stack too
            }
            if (claim.claimed()) {
                CommentStore.Comment current = store.get(key);
                try {
                    var existing = github.find(key.repository(), key.number(), PlanComment.marker(key.environment()));
                    String body = render(current);
                    if (existing.isPresent()) {
                        id = existing.get().id();
                        github.edit(key.repository(), id, body);
                    } else {
                        id = github.create(key.repository(), key.number(), body);
                        LOG.info("{}: comment {} created", what, id);
                    }
                    store.created(key, id);
                    rendered = current.version();
                } catch (GithubApi.Unavailable e) {
                    store.unclaim(key, me);
                    LOG.warn("{} was not created: {} (the pipeline goes on; the next update tries again)", what, e.getMessage());
                    return;
                }
            } else {
                id = claim.commentId();
            }
        }
        for (int edit = 0; edit < EDITS; edit++) {
            CommentStore.Comment current = store.get(key);
            if (current.version() == rendered) {
                return;
            }
            try {
                github.edit(key.repository(), id, render(current));
            } catch (GithubApi.Unavailable e) {
                if (e.status() == 404) {
                    store.forget(key, id); // deleted on GitHub: the next update creates it again
                }
                LOG.warn("{} was not edited: {} (the pipeline goes on)", what, e.getMessage());
                return;
            }
            rendered = current.version();
        }
    }

    private String render(CommentStore.Comment comment) {
        String base = publicUrl.value();
        return PlanComment.render(comment, stack -> {
            PlanText.Shown shown = planText.read(stack.planLocation(), stack.planTextSha256());
            return shown.verified() ? shown.text() : null;
        }, new PlanComment.Links() {
            @Override
            public String execution(String name) {
                return base + "/ui/executions/" + name;
            }

            @Override
            public String planText(String name) {
                return base + "/ui/executions/" + name + "/plan";
            }
        });
    }
}
