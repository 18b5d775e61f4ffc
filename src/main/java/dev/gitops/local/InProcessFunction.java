package dev.gitops.local;

import dev.gitops.engine.tasks.LocalFunction;

/**
 * A bean that local mode serves for {@code arn:aws:states:::lambda:invoke} under the name of the AWS Lambda function
 * it stands for. Registered before the engine resumes, so executions interrupted by a restart find it.
 */
public interface InProcessFunction extends LocalFunction {
    /** The FunctionName the state machine uses. */
    String functionName();
}
