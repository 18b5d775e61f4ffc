package dev.gitops.local;

import dev.gitops.pipeline.ConfiguredStateMachine;
import dev.gitops.pipeline.StateMachineLocator;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

/** Local mode starts executions on the state machine it deployed to the embedded engine. */
@Singleton
@Replaces(ConfiguredStateMachine.class)
@Requires(notEnv = {Environment.FUNCTION, "lambda"})
@Requires(property = "gitops.local.enabled", notEquals = "false")
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
