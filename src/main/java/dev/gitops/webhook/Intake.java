package dev.gitops.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.changes.ChangeRequest;
import dev.gitops.changes.GitConfiguration;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.routing.Environment;
import dev.gitops.routing.Glob;
import dev.gitops.routing.Routing;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Routes a verified event: a push to a branch or a pull request becomes {@link Work} in the environment the server's
 * rules give it; anything else (another event, a tag, a deleted or unmapped branch, a repository not allowed, a fork)
 * is {@link Answer.Ignored} with the reason. Deterministic, so an ignored delivery needs no record lookup.
 */
@Singleton
class Intake {
    private static final Set<String> PULL_REQUEST_ACTIONS = Set.of("opened", "synchronize", "reopened");

    private final Routing routing;
    private final GitConfiguration git;
    private final List<Glob> repositories;
    private final boolean allowForks;

    Intake(Routing routing, GitConfiguration git, IntakeConfiguration config) {
        this.routing = routing;
        this.git = git;
        this.repositories = config.getRepositories().stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Glob.of((s.contains("/") ? s : s + "/*").toLowerCase(Locale.ROOT))).toList();
        this.allowForks = config.getPullRequests().isAllowForks();
    }

    Routed route(String event, String delivery, JsonNode payload) throws BadPayload {
        return switch (event) {
            case "push" -> push(delivery, GithubEvents.push(payload));
            case "pull_request" -> pullRequest(delivery, GithubEvents.pullRequest(payload));
            default -> new Answer.Ignored(delivery, "event-not-handled", "'" + event + "' events are not handled"
                    + " (push, pull_request and ping are)");
        };
    }

    private Routed push(String delivery, GithubEvents.Push push) throws BadPayload {
        if (!allowed(push.repository())) {
            return notAllowed(delivery, push.repository());
        }
        if (push.ref().startsWith("refs/tags/")) {
            return new Answer.Ignored(delivery, "tag", push.ref() + " is a tag: tags do not deploy");
        }
        if (!push.ref().startsWith("refs/heads/")) {
            return new Answer.Ignored(delivery, "event-not-handled", push.ref() + " is neither a branch nor a tag");
        }
        String branch = push.ref().substring("refs/heads/".length());
        if (push.deleted()) {
            return new Answer.Ignored(delivery, "branch-deleted", "branch " + branch + " was deleted: nothing to deploy");
        }
        Optional<Environment> environment = routing.environmentFor(branch);
        if (environment.isEmpty()) {
            return unmapped(delivery, branch);
        }
        Environment env = environment.get();
        String cloneUrl = cloneUrl(push.repository(), push.cloneUrl());
        String baseRef = ChangeRequest.ZEROS.equals(push.before()) && env.promotionBranch() != null
                ? "refs/heads/" + env.promotionBranch() : null;
        ChangeRequest request = new ChangeRequest(push.repository(), cloneUrl, push.ref(), push.before(), push.after(),
                baseRef, false, env.name());
        ExecutionInput.Trigger trigger = ExecutionInput.Trigger.of("push", delivery, push.sender(), push.compareUrl(),
                push.message(), push.forced(), null);
        return new Work("push", delivery, push.repository(), request, env, ExecutionInput.Mode.APPLY, cloneUrl, branch,
                trigger, push.before() + ".." + push.after());
    }

    private Routed pullRequest(String delivery, GithubEvents.PullRequest pr) throws BadPayload {
        if (!PULL_REQUEST_ACTIONS.contains(pr.action())) {
            return new Answer.Ignored(delivery, "event-not-handled", "pull_request action '" + pr.action()
                    + "' is not handled (opened, synchronize and reopened plan)");
        }
        if (!allowed(pr.repository())) {
            return notAllowed(delivery, pr.repository());
        }
        if (pr.fromFork() && !allowForks) {
            return new Answer.Ignored(delivery, "fork-pull-request", "pull request #" + pr.number() + " comes from "
                    + (pr.headRepository() == null ? "a deleted fork" : "fork " + pr.headRepository())
                    + ": planning runs its code, so forks are ignored unless gitops.pull-requests.allow-forks is true");
        }
        Optional<Environment> environment = routing.environmentFor(pr.baseRef());
        if (environment.isEmpty()) {
            return unmapped(delivery, pr.baseRef());
        }
        Environment env = environment.get();
        String cloneUrl = cloneUrl(pr.repository(), pr.cloneUrl());
        String headRef = "refs/pull/" + pr.number() + "/head";
        ChangeRequest request = new ChangeRequest(pr.repository(), cloneUrl, headRef, pr.baseSha(), pr.headSha(),
                "refs/heads/" + pr.baseRef(), true, env.name());
        ExecutionInput.Trigger trigger = ExecutionInput.Trigger.of("pull_request", delivery, pr.sender(), pr.url(),
                pr.title(), false, pr.number());
        return new Work("pull_request", delivery, pr.repository(), request, env, ExecutionInput.Mode.PLAN, cloneUrl,
                pr.headRef(), trigger, pr.baseSha() + ".." + pr.headSha() + "@" + (pr.updatedAt() != null ? pr.updatedAt()
                : pr.action()));
    }

    /** {@code gitops.repositories}: {@code owner/repo} globs; a pattern without '/' names owners ({@code *}: all). */
    private boolean allowed(String repository) {
        String name = repository.toLowerCase(Locale.ROOT);
        return repositories.stream().anyMatch(glob -> glob.matches(name));
    }

    private Answer.Ignored notAllowed(String delivery, String repository) {
        return new Answer.Ignored(delivery, "repository-not-allowed", repository + " is not in gitops.repositories ("
                + repositories.stream().map(Glob::text).collect(Collectors.joining(", ")) + ")");
    }

    private Answer.Ignored unmapped(String delivery, String branch) {
        return new Answer.Ignored(delivery, "unmapped-branch", "branch " + branch + " maps to no environment ("
                + routing.environments().stream().map(e -> e.name() + " <- " + e.branches().stream().map(Glob::text)
                .collect(Collectors.joining(" | "))).collect(Collectors.joining(", ")) + ")");
    }

    /** The clone URL: from {@code gitops.git.url-template} when set, else the payload's, which must be HTTPS. */
    private String cloneUrl(String repository, String payloadUrl) throws BadPayload {
        String template = git.getUrlTemplate();
        if (template != null) {
            int slash = repository.indexOf('/');
            return template.replace("{owner}", repository.substring(0, slash)).replace("{repo}", repository.substring(slash + 1));
        }
        if (!payloadUrl.startsWith("https://")) {
            throw new BadPayload("the repository's clone_url '" + payloadUrl + "' is not an https:// URL (set"
                    + " gitops.git.url-template to fetch from elsewhere)");
        }
        return payloadUrl;
    }
}
