package dev.gitops.engine;

/**
 * Hears every execution status change (started, and each way of ending), like EventBridge's "Step Functions Execution
 * Status Change" events. Called on one engine thread, in order, after the change is on disk; a listener that throws is
 * logged and does not affect the execution.
 */
@FunctionalInterface
public interface ExecutionListener {
    void onStatusChange(ExecutionStatusChange change);
}
