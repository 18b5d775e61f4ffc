package dev.gitops.console;

import dev.gitops.drift.DriftStore;
import io.micronaut.context.annotation.Prototype;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Optional;

/**
 * The latest drift check of each stack, for {@code /ui/drift}: what {@code GET /api/drift?environment=} lists, read
 * from the drift table when the page is asked for (a prototype: nothing of it is made while the function starts).
 */
@Prototype
public class DriftReport {
    private final DriftStore store;

    public DriftReport(DriftStore store) {
        this.store = store;
    }

    /**
     * The latest status of each stack, {@code environment}'s only when it is not null; empty when no drift check has
     * recorded anything yet (as opposed to a list with nothing in it for one environment).
     */
    public Optional<List<Status>> latest(@Nullable String environment) {
        List<DriftStore.Check> all = store.list(null);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(all.stream().filter(c -> environment == null || environment.equals(c.environment()))
                .map(c -> new Status(c.repository(), c.stack(), c.dir(), c.environment(),
                        c.status() == null ? null : c.status().wire(), c.sha(), c.checkedAt(), c.summary())).toList());
    }

    /**
     * One stack's latest check, as {@code GET /api/drift} names its fields.
     *
     * @param status {@code in-sync}, {@code drifted}, {@code error} or {@code skipped}
     */
    public record Status(String repository, String stack, String dir, String environment, String status, String sha,
                         String checkedAt, String summary) {
    }
}
