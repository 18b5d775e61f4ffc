package dev.gitops.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function the engine invokes in-process for {@code arn:aws:states:::lambda:invoke}, in place of an AWS Lambda
 * function of the same name. Throw {@link FunctionError} to fail with an error name of your choosing; any other
 * exception fails with its class name, as the Lambda Java runtime reports it.
 */
@FunctionalInterface
public interface LocalFunction {
    JsonNode handle(JsonNode payload) throws Exception;
}
