package dev.gitops.console;

import io.micronaut.context.annotation.Secondary;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.annotation.Prototype;

import java.util.List;
import java.util.Optional;

/**
 * The latest drift check of each stack, for {@code /ui/drift}: what {@code GET /api/drift?environment=} lists. Drift
 * detection provides the bean that reads its store; until it does, {@link NotRun} says it has not run.
 */
public interface DriftReport {
    /**
     * The latest status of each stack, {@code environment}'s only when it is not null; empty when drift detection has
     * never run here (as opposed to a list with nothing in it).
     */
    Optional<List<Status>> latest(@Nullable String environment);

    /**
     * One stack's latest check, as {@code GET /api/drift} names its fields.
     *
     * @param status {@code in-sync}, {@code drifted}, {@code error} or {@code skipped}
     */
    record Status(String repository, String stack, String dir, String environment, String status, String sha,
                  String checkedAt, String summary) {
    }

    /** No drift detection is wired in: the page says it has not run. */
    @Prototype
    @Secondary
    class NotRun implements DriftReport {
        @Override
        public Optional<List<Status>> latest(@Nullable String environment) {
            return Optional.empty();
        }
    }
}
