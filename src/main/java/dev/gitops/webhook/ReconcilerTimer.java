package dev.gitops.webhook;

import dev.gitops.runtime.LocalMode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/** The reconciler locally: every {@code gitops.reconciler.interval}, when {@code gitops.reconciler.enabled}. */
@Singleton
@LocalMode
@Requires(property = "gitops.reconciler.enabled", value = "true")
class ReconcilerTimer {
    private final Reconciler reconciler;

    ReconcilerTimer(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Scheduled(fixedDelay = "${gitops.reconciler.interval:5m}", initialDelay = "${gitops.reconciler.interval:5m}")
    void reconcile() {
        reconciler.reconcile();
    }
}
