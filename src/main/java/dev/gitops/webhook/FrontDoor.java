package dev.gitops.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.approval.Notifications;
import dev.gitops.approval.Superseding;
import dev.gitops.changes.ChangeDetector;
import dev.gitops.changes.ChangeRequest;
import dev.gitops.changes.Detection;
import dev.gitops.changes.GitConfiguration;
import dev.gitops.changes.GitMirror;
import dev.gitops.changes.StackChange;
import dev.gitops.pipeline.ExecutionInput;
import dev.gitops.pipeline.ExecutionNames;
import dev.gitops.pipeline.ExecutionStarter;
import dev.gitops.pipeline.Trigger;
import dev.gitops.routing.Environment;
import dev.gitops.routing.Glob;
import dev.gitops.routing.Routing;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * From a verified delivery to started executions: routes the event to an environment, detects the changed stacks
 * and starts one execution per stack; a redelivery is answered from its record. Work that outlasts the sync budget
 * is answered {@code accepted} and finished in the background. The delivery is recorded only once everything
 * started, so that GitHub's redelivery completes a partial start.
 *
 * <p>Latency: the record lookup runs alongside change detection (which changes nothing, so a redelivery simply
 * drops its result), and the record is written after the answer. Neither weakens "once": execution names and input
 * come from the delivery, so a redelivery that arrives before the record meets the executions already started.
 * Routing is deterministic, so an event that is ignored needs no lookup.
 */
@Singleton
public class FrontDoor {
    private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);
    private static final Set<String> PULL_REQUEST_ACTIONS = Set.of("opened", "synchronize", "reopened");

    private final Routing routing;
    private final ChangeDetector detector;
    private final ExecutionStarter starter;
    private final Superseding superseding;
    private final boolean recordInline;
    private final Notifications notifications;
    private final DeliveryStore deliveries;
    private final GitConfiguration git;
    private final Duration syncBudget;
    private final List<Glob> repositories;
    private final boolean allowForks;
    private final ExecutorService pool;

    public FrontDoor(Routing routing, ChangeDetector detector, ExecutionStarter starter, DeliveryStore deliveries,
                     GitConfiguration git, WebhookConfiguration webhook, Superseding superseding, Notifications notifications,
                     @Value("${gitops.repositories:*}") List<String> repositories,
                     @Value("${gitops.pull-requests.allow-forks:false}") boolean allowForks,
                     io.micronaut.context.env.Environment environment) {
        this.recordInline = environment.getActiveNames().contains(io.micronaut.context.env.Environment.FUNCTION);
        this.routing = routing;
        this.detector = detector;
        this.starter = starter;
        this.superseding = superseding;
        this.notifications = notifications;
        this.deliveries = deliveries;
        this.git = git;
        this.syncBudget = webhook.getSyncBudget();
        this.repositories = repositories.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Glob.of((s.contains("/") ? s : s + "/*").toLowerCase(java.util.Locale.ROOT))).toList();
        this.allowForks = allowForks;
        AtomicInteger counter = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(16, r -> {
            Thread thread = new Thread(r, "webhook-work-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** One piece of work: what to compare, and how to start what changed. */
    private record Work(String event, String delivery, String repository, ChangeRequest request, Environment environment,
                        boolean planOnly, String cloneUrl, String branch, Trigger trigger) {
    }

    public Answer handle(String event, String delivery, JsonNode payload) throws BadPayload {
        if ("ping".equals(event)) {
            return Answer.pong();
        }
        Object routed = switch (event) {
            case "push" -> push(delivery, GithubEvents.push(payload));
            case "pull_request" -> pullRequest(delivery, GithubEvents.pullRequest(payload));
            default -> Answer.ignored(delivery, "event-not-handled", "'" + event + "' events are not handled"
                    + " (push, pull_request and ping are)");
        };
        if (routed instanceof Answer answer) {
            record(delivery, null, event, answer);
            return answer;
        }
        Work work = (Work) routed;
        CompletableFuture<Optional<JsonNode>> recorded = CompletableFuture.supplyAsync(() -> deliveries.answer(delivery), pool);
        CompletableFuture<Object> detected = CompletableFuture.supplyAsync(() -> detect(work), pool);
        CompletableFuture<Answer> running = recorded.thenCompose(previous -> {
            if (previous.isPresent() && previous.get().isObject()) {
                LOG.info("delivery \"{}\" was handled before: answering as then", delivery);
                return CompletableFuture.completedFuture(new Answer(202, (ObjectNode) previous.get()));
            }
            return detected.thenApplyAsync(result -> finish(work, result), pool);
        });
        try {
            return running.get(syncBudget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.info("delivery \"{}\" outlasts the sync budget of {}: answering accepted, finishing in the background",
                    delivery, syncBudget);
            return Answer.accepted(delivery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.accepted(delivery);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private Object push(String delivery, GithubEvents.Push push) throws BadPayload {
        if (!allowed(push.repository())) {
            return notAllowed(delivery, push.repository());
        }
        if (push.ref().startsWith("refs/tags/")) {
            return Answer.ignored(delivery, "tag", push.ref() + " is a tag: tags do not deploy");
        }
        if (!push.ref().startsWith("refs/heads/")) {
            return Answer.ignored(delivery, "event-not-handled", push.ref() + " is neither a branch nor a tag");
        }
        String branch = push.ref().substring("refs/heads/".length());
        if (push.deleted()) {
            return Answer.ignored(delivery, "branch-deleted", "branch " + branch + " was deleted: nothing to deploy");
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
        Trigger trigger = new Trigger("push", delivery, push.sender(), push.compareUrl(), push.message(), null, push.forced());
        return new Work("push", delivery, push.repository(), request, env, false, cloneUrl, branch, trigger);
    }

    private Object pullRequest(String delivery, GithubEvents.PullRequest pr) throws BadPayload {
        if (!PULL_REQUEST_ACTIONS.contains(pr.action())) {
            return Answer.ignored(delivery, "event-not-handled", "pull_request action '" + pr.action()
                    + "' is not handled (opened, synchronize and reopened plan)");
        }
        if (!allowed(pr.repository())) {
            return notAllowed(delivery, pr.repository());
        }
        if (pr.fromFork() && !allowForks) {
            return Answer.ignored(delivery, "fork-pull-request", "pull request #" + pr.number() + " comes from "
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
        Trigger trigger = new Trigger("pull_request", delivery, pr.sender(), pr.url(), pr.title(), pr.number(), false);
        return new Work("pull_request", delivery, pr.repository(), request, env, true, cloneUrl, pr.headRef(), trigger);
    }

    /** The detection, or the answer that says why there is none. */
    private Object detect(Work work) {
        try {
            return detector.detect(work.request());
        } catch (GitMirror.FetchFailed | IOException e) {
            LOG.warn("delivery \"{}\": {}", work.delivery(), e.getMessage());
            return Answer.error(502, "fetch-failed", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("delivery \"{}\": change detection failed", work.delivery(), e);
            return Answer.error(502, "change-detection-failed", "change detection failed: " + e);
        }
    }

    private Answer finish(Work work, Object detected) {
        if (detected instanceof Answer failed) {
            return failed;
        }
        Detection detection = (Detection) detected;
        String delivery = work.delivery();
        Answer answer;
        if (detection.invalid() != null) {
            answer = Answer.ignored(delivery, "invalid-repo-config", detection.invalid());
        } else if (detection.stacks().isEmpty()) {
            String range = work.request().newBranch() ? "new branch " + work.branch()
                    : short7(work.request().before()) + ".." + short7(work.request().after());
            String removed = detection.removed().isEmpty() ? "" : "; removed stack(s) " + String.join(", ", detection.removed())
                    + " are not run (destroy a stack before deleting its code)";
            answer = Answer.ignored(delivery, "no-stack-changed", "no Terraform stack changed in " + work.environment().name()
                    + " (" + range + ")" + removed);
        } else {
            answer = start(work, detection);
        }
        record(delivery, work.repository(), work.event(), answer);
        return answer;
    }

    private Answer start(Work work, Detection detection) {
        List<ExecutionStarter.Planned> planned = new ArrayList<>();
        String inputUrl = GitMirror.redactUrl(work.cloneUrl());
        for (StackChange stack : detection.stacks()) {
            String lockId = ExecutionInput.lockId(work.repository(), stack.dir(), work.environment().name());
            ObjectNode input = ExecutionInput.of(work.repository(), inputUrl, work.request().ref(), work.branch(),
                    work.request().after(), work.request().before(), work.environment(), work.planOnly(), stack, work.trigger());
            planned.add(new ExecutionStarter.Planned(ExecutionNames.of(work.environment().name(), stack.name(),
                    work.request().after(), work.delivery(), lockId), input));
        }
        ExecutionStarter.Outcome outcome = starter.start(planned);
        Map<String, StackChange> byName = new HashMap<>();
        for (int i = 0; i < planned.size(); i++) {
            byName.put(planned.get(i).name(), detection.stacks().get(i));
        }
        if (recordInline) {
            afterStart(work, byName, outcome); // Lambda: before answering, the process freezes after
        } else {
            pool.execute(() -> afterStart(work, byName, outcome));
        }
        ArrayNode executions = Answer.MAPPER.createArrayNode();
        for (ExecutionStarter.Started started : outcome.started()) {
            executions.addObject().put("name", started.name()).put("executionArn", started.executionArn());
        }
        if (!outcome.complete()) {
            Answer partial = Answer.error(502, "partial-start", "started " + outcome.started().size() + " of " + planned.size()
                    + " executions; GitHub's redelivery of " + work.delivery() + " starts the rest: "
                    + String.join("; ", outcome.failures()));
            partial.body().put("delivery", work.delivery());
            partial.body().set("executions", executions);
            return partial;
        }
        ObjectNode body = Answer.MAPPER.createObjectNode();
        body.put("delivery", work.delivery());
        body.put("event", work.event());
        body.put("environment", work.environment().name());
        body.put("sha", work.request().after());
        body.put("mode", work.planOnly() ? "plan" : "apply");
        ArrayNode stacks = body.putArray("stacks");
        for (StackChange stack : detection.stacks()) {
            ObjectNode s = stacks.addObject().put("name", stack.name()).put("dir", stack.dir());
            stack.reasons().forEach(s.putArray("reasons")::add);
        }
        body.set("executions", executions);
        return new Answer(202, body);
    }

    /**
     * For each execution just started: the commit's status {@code gitops/<env>/<stack>} goes pending, and a push
     * supersedes older executions of the same stack and environment waiting for approval (DESIGN.md's rule). Locally
     * this runs after the answer: it is one index query per stack, which the sender need not wait for.
     */
    private void afterStart(Work work, Map<String, StackChange> stacks, ExecutionStarter.Outcome outcome) {
        for (ExecutionStarter.Started started : outcome.started()) {
            StackChange stack = stacks.get(started.name());
            if (!started.created() || stack == null) {
                continue;
            }
            notifications.status(work.repository(), work.request().after(),
                    Notifications.context(work.environment().name(), stack.name()), "pending",
                    work.planOnly() ? "planning (plan only)" : "planning", null);
            if (!work.planOnly()) {
                superseding.afterStart(work.repository(), ExecutionInput.lockId(work.repository(), stack.dir(),
                        work.environment().name()), work.request().after(), started.executionArn(), work.branch(),
                        work.trigger().forced());
            }
        }
    }

    /** Records a final answer, after the reply: see the class comment for why that is safe. */
    private void record(String delivery, String repository, String event, Answer answer) {
        if (!answer.recordable()) {
            return;
        }
        Runnable write = () -> {
            try {
                deliveries.record(delivery, repository, event, answer.body());
            } catch (RuntimeException e) {
                LOG.warn("delivery \"{}\" could not be recorded ({}); a redelivery will find its executions already"
                        + " started", delivery, e.toString());
            }
        };
        if (recordInline) {
            write.run(); // Lambda: the process freezes once the answer is returned
        } else {
            pool.execute(write);
        }
    }

    /** {@code gitops.repositories}: {@code owner/repo} globs; a pattern without '/' names owners ({@code *}: all). */
    private boolean allowed(String repository) {
        String name = repository.toLowerCase(java.util.Locale.ROOT);
        return repositories.stream().anyMatch(glob -> glob.matches(name));
    }

    private Answer notAllowed(String delivery, String repository) {
        return Answer.ignored(delivery, "repository-not-allowed", repository + " is not in gitops.repositories ("
                + repositories.stream().map(Glob::text).collect(Collectors.joining(", ")) + ")");
    }

    private Answer unmapped(String delivery, String branch) {
        return Answer.ignored(delivery, "unmapped-branch", "branch " + branch + " maps to no environment ("
                + routing.environments().stream().map(e -> e.name() + " <- " + e.branches().stream().map(Glob::text)
                .collect(Collectors.joining(" | "))).collect(Collectors.joining(", ")) + ")");
    }

    /** The clone URL: from {@code gitops.git.url-template} when set, else the payload's, which must be HTTPS. */
    private String cloneUrl(String repository, String payloadUrl) throws BadPayload {
        String template = git.getUrlTemplate();
        if (template != null && !template.isBlank()) {
            int slash = repository.indexOf('/');
            return template.replace("{owner}", repository.substring(0, slash)).replace("{repo}", repository.substring(slash + 1));
        }
        if (!payloadUrl.startsWith("https://")) {
            throw new BadPayload("the repository's clone_url '" + payloadUrl + "' is not an https:// URL (set"
                    + " gitops.git.url-template to fetch from elsewhere)");
        }
        return payloadUrl;
    }

    private static String short7(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }

    @PreDestroy
    void close() {
        pool.shutdown();
    }
}
