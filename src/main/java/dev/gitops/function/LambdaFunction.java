package dev.gitops.function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function the state machines call ({@code arn:aws:states:::lambda:invoke}) or EventBridge triggers: an AWS Lambda
 * function in AWS ({@code FunctionHandler}, {@code GITOPS_FUNCTION} naming it), a function the embedded engine calls in
 * process locally. Either way the same bean runs, with the same payload.
 */
public interface LambdaFunction {
    /** The name the state machine calls it by ({@code ${PipelineFunction}} stands for it locally). */
    String name();

    /**
     * @throws FunctionError to fail with an error name the state machine's Retry and Catch match
     */
    JsonNode handle(JsonNode payload);
}
