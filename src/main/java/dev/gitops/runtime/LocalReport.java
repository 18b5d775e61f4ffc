package dev.gitops.runtime;

/**
 * What {@code GET /health} says of local mode's own services: implemented by local mode, absent in Lambda, so that
 * what runs in AWS needs nothing of them.
 */
public interface LocalReport {
    /** The embedded Step Functions engine's endpoint. */
    String engineEndpoint();

    /** DynamoDB Local's endpoint. */
    String dynamodbEndpoint();

    /** The pipeline state machine deployed on the engine. */
    String stateMachineArn();
}
