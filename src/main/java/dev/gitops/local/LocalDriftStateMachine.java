package dev.gitops.local;

import dev.gitops.drift.ConfiguredDriftStateMachine;
import dev.gitops.drift.DriftStateMachine;
import dev.gitops.runtime.LocalMode;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;

/** Local mode checks drift on the drift state machine it deployed to the embedded engine. */
@Singleton
@Replaces(ConfiguredDriftStateMachine.class)
@LocalMode
public class LocalDriftStateMachine implements DriftStateMachine {
    private final LocalServices services;

    public LocalDriftStateMachine(LocalServices services) {
        this.services = services;
    }

    @Override
    public String arn() {
        return services.driftStateMachineArn();
    }
}
