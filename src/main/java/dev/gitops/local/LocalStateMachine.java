package dev.gitops.local;

import dev.gitops.runtime.LocalMode;
import dev.gitops.pipeline.ConfiguredStateMachine;
import dev.gitops.pipeline.StateMachineLocator;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;

/** Local mode starts executions on the state machine it deployed to the embedded engine. */
@Singleton
@Replaces(ConfiguredStateMachine.class)
@LocalMode
public class LocalStateMachine implements StateMachineLocator {
    private final LocalServices services;

    public LocalStateMachine(LocalServices services) {
        this.services = services;
    }

    @Override
    public String stateMachineArn() {
        return services.stateMachineArn();
    }
}
