package dev.gitops.runtime;

import java.util.List;
import java.util.Map;

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

    /** For each environment, what its local plans and applies run with (names of profiles or variables, no values). */
    Map<String, Map<String, String>> buildCredentials();

    /** How local builds are kept from the controller. */
    String buildIsolation();

    /** What the operator should know: weaker isolation than a deployment in AWS would have. */
    List<String> warnings();
}
