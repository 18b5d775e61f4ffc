package dev.gitops.drift;

import jakarta.inject.Singleton;

/** The drift state machine named by {@code gitops.drift.state-machine-arn} (GITOPS_DRIFT_STATE_MACHINE_ARN). */
@Singleton
public class ConfiguredDriftStateMachine implements DriftStateMachine {
    private final String arn;

    public ConfiguredDriftStateMachine(DriftConfiguration config) {
        this.arn = config.getStateMachineArn();
    }

    @Override
    public String arn() {
        if (arn == null) {
            throw new IllegalStateException("gitops.drift.state-machine-arn is not set (GITOPS_DRIFT_STATE_MACHINE_ARN):"
                    + " the drift state machine to start is unknown");
        }
        return arn;
    }
}
