package dev.gitops.pipeline;

/** Where the pipeline state machine is: {@code gitops.state-machine-arn} in AWS; local mode knows its own. */
public interface StateMachineLocator {
    String stateMachineArn();
}
