package dev.gitops.engine.runtime;

/** Execution statuses as Step Functions names them. */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED
}
