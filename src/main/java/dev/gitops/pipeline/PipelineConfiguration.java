package dev.gitops.pipeline;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;

/**
 * {@code gitops.state-machine-arn}: the pipeline every execution is started on (set by the SAM template in AWS;
 * local mode uses the one it deploys to its engine).
 */
@ConfigurationProperties("gitops")
public class PipelineConfiguration {
    @Nullable
    @Pattern(regexp = "arn:\\S+:states:\\S+:stateMachine:\\S+",
            message = "gitops.state-machine-arn must be a state machine's ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)")
    private String stateMachineArn;

    public String getStateMachineArn() {
        return stateMachineArn;
    }

    public void setStateMachineArn(@Nullable String stateMachineArn) {
        this.stateMachineArn = Settings.text(stateMachineArn);
    }
}
