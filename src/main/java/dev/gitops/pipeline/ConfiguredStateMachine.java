package dev.gitops.pipeline;

import jakarta.inject.Singleton;

/** The state machine named by {@code gitops.state-machine-arn} (environment variable GITOPS_STATE_MACHINE_ARN). */
@Singleton
public class ConfiguredStateMachine implements StateMachineLocator {
    private final String arn;

    public ConfiguredStateMachine(PipelineConfiguration config) {
        this.arn = config.getStateMachineArn();
    }

    @Override
    public String stateMachineArn() {
        if (arn == null) {
            throw new IllegalStateException("gitops.state-machine-arn is not set (GITOPS_STATE_MACHINE_ARN): the pipeline"
                    + " state machine to start is unknown");
        }
        return arn;
    }
}
