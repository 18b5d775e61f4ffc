package dev.gitops.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.changes.ChangeDetector;
import dev.gitops.changes.Detection;
import dev.gitops.changes.GitMirror;
import dev.gitops.execution.Commits;
import dev.gitops.runtime.Background;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * From a verified delivery to its answer: the {@link Intake} routes it, change detection finds the stacks, the
 * {@link StackLauncher} starts them, once per push ({@link PushClaims}: the same push under another delivery id names
 * the executions the first started); a redelivery is answered from its record. The delivery is recorded only once
 * everything started, so that GitHub's redelivery completes a partial start.
 *
 * <p>Latency: the record lookup runs alongside change detection (which changes nothing, so a redelivery simply drops
 * its result), within the {@link SyncBudget}; the record is written as {@link Background} work. Neither weakens
 * "once": execution names and input come from the delivery, so a redelivery that arrives before the record meets the
 * executions already started. Routing is deterministic, so an event that is ignored needs no lookup.
 */
@Singleton
public class FrontDoor {
    private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);

    private final Intake intake;
    private final ChangeDetector detector;
    private final StackLauncher launcher;
    private final DeliveryStore deliveries;
    private final SyncBudget budget;
    private final Background background;
    private final PushClaims claims;

    FrontDoor(Intake intake, ChangeDetector detector, StackLauncher launcher, DeliveryStore deliveries, SyncBudget budget,
              Background background, PushClaims claims) {
        this.claims = claims;
        this.intake = intake;
        this.detector = detector;
        this.launcher = launcher;
        this.deliveries = deliveries;
        this.budget = budget;
        this.background = background;
    }

    /** A verified event other than {@code ping} (the controller answers that one). */
    public Answer handle(String event, String delivery, JsonNode payload) throws BadPayload {
        Routed routed = intake.route(event, delivery, payload);
        if (routed instanceof Answer.Ignored ignored) {
            record(delivery, null, event, ignored);
            return ignored;
        }
        Work work = (Work) routed;
        CompletableFuture<Optional<JsonNode>> recorded = budget.supply(() -> deliveries.answer(delivery));
        CompletableFuture<Detection> detected = budget.supply(() -> detect(work));
        CompletableFuture<Answer> answer = recorded.thenCompose(previous -> {
            if (previous.isPresent()) {
                LOG.info("delivery \"{}\" was handled before: answering as then", delivery);
                return CompletableFuture.completedFuture(new Answer.Replayed(previous.get()));
            }
            return detected.handleAsync((detection, error) -> error == null ? finish(work, detection) : failed(work, error),
                    budget.pool());
        });
        return budget.await(delivery, answer);
    }

    private Detection detect(Work work) {
        try {
            return detector.detect(work.request());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitMirror.FetchFailed e) {
            throw new CompletionException(e);
        }
    }

    /** Change detection failed: nothing started, nothing recorded, so GitHub's redelivery tries again. */
    private Answer failed(Work work, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof UncheckedIOException io) {
            cause = io.getCause();
        }
        if (cause instanceof ChangeDetector.TooLong) {
            LOG.warn("delivery \"{}\": {}", work.delivery(), cause.getMessage());
            return new Answer.Failure(502, "change-detection-too-long", cause.getMessage() + ": nothing was started (is"
                    + " the repository or its .gitops.yml unusually large?)");
        }
        if (cause instanceof GitMirror.FetchFailed || cause instanceof IOException) {
            LOG.warn("delivery \"{}\": {}", work.delivery(), cause.getMessage());
            return new Answer.Failure(502, "fetch-failed", cause.getMessage());
        }
        LOG.error("delivery \"{}\": change detection failed", work.delivery(), cause);
        return new Answer.Failure(502, "change-detection-failed", "change detection failed: " + cause);
    }

    private Answer finish(Work work, Detection detection) {
        Answer answer;
        if (detection instanceof Detection.InvalidConfig invalid) {
            answer = new Answer.Ignored(work.delivery(), "invalid-repo-config", invalid.problem());
        } else {
            Detection.Stacks found = (Detection.Stacks) detection;
            answer = found.stacks().isEmpty() ? noStackChanged(work, found) : launch(work, found);
        }
        record(work.delivery(), work.repository(), work.event(), answer);
        return answer;
    }

    /**
     * Starts the stacks once per push: the first delivery of a push claims it ({@link PushClaims}); another delivery
     * of the same push names the executions the first started and starts nothing. A delivery that started nothing
     * gives its claim up, so that the push can still be delivered.
     */
    private Answer launch(Work work, Detection.Stacks found) {
        PushClaims.Claim claim;
        try {
            claim = claims.claim(work);
        } catch (RuntimeException e) {
            LOG.warn("delivery \"{}\": could not claim the push: {}", work.delivery(), e.toString());
            return new Answer.Failure(502, "store-unavailable", "could not record the push in the deliveries table ("
                    + e.getMessage() + "); nothing was started: GitHub's redelivery tries again");
        }
        if (claim instanceof PushClaims.Duplicate duplicate && duplicate.delivery() == null) {
            return new Answer.Ignored(work.delivery(), "duplicate-push", "the same push (" + work.request().ref() + " "
                    + PushClaims.content(work) + ") was handled by another delivery: nothing was started again");
        }
        if (claim instanceof PushClaims.Duplicate duplicate) {
            LOG.info("delivery \"{}\" carries the push of delivery \"{}\" again ({} {}): starting nothing new",
                    work.delivery(), duplicate.delivery(), work.request().ref(), PushClaims.content(work));
            return launcher.relaunch(work, duplicate.delivery(), found);
        }
        Answer answer = launcher.launch(work, found);
        if (answer instanceof Answer.PartialStart partial && partial.executions().isEmpty()) {
            claims.release(work);
        }
        return answer;
    }

    private static Answer noStackChanged(Work work, Detection.Stacks found) {
        String range = work.request().newBranch() ? "new branch " + work.branch()
                : Commits.shortSha(work.request().before()) + ".." + Commits.shortSha(work.request().after());
        String removed = found.removed().isEmpty() ? "" : "; removed stack(s) " + String.join(", ", found.removed())
                + " are not run (destroy a stack before deleting its code)";
        String skipped = found.skipped().isEmpty() ? "" : "; not run here: " + found.skipped().stream()
                .map(s -> s.dir() + " (" + s.reason() + ")").collect(java.util.stream.Collectors.joining(", "));
        return new Answer.Ignored(work.delivery(), "no-stack-changed", "no Terraform stack changed in "
                + work.environment().name() + " (" + range + ")" + removed + skipped, found.skipped());
    }

    /** Records a final answer as background work: see the class comment for why that is safe. */
    private void record(String delivery, String repository, String event, Answer answer) {
        if (!answer.recordable()) {
            return;
        }
        background.run("recording delivery " + delivery + " (a redelivery will find its executions already started)",
                () -> deliveries.record(delivery, repository, event, answer));
    }
}
