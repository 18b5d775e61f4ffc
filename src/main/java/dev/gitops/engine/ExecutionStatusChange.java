package dev.gitops.engine;

import java.time.Instant;

/** The detail of an execution status change, with EventBridge's field names. */
public record ExecutionStatusChange(String executionArn, String stateMachineArn, String name, String status,
                                    Instant startDate, Instant stopDate, String error, String cause) {
}
