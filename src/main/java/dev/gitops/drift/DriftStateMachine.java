package dev.gitops.drift;

/** Where the drift state machine is: {@code gitops.drift.state-machine-arn} in AWS; local mode knows its own. */
public interface DriftStateMachine {
    /** @throws IllegalStateException naming the setting when it is not known */
    String arn();
}
