package dev.gitops.engine;

import dev.gitops.engine.asl.Definition;

import java.time.Instant;

/**
 * A state machine as DescribeStateMachine shows it, with its current parsed definition.
 *
 * @param revisionId identifies the definition and role; executions remember the revision they started with
 */
public record StateMachine(String arn, String name, String type, String roleArn, String definitionText,
                           Definition definition, String revisionId, Instant creationDate, Instant updateDate,
                           String status) {
    public StateMachine withStatus(String newStatus) {
        return new StateMachine(arn, name, type, roleArn, definitionText, definition, revisionId, creationDate, updateDate,
                newStatus);
    }
}
