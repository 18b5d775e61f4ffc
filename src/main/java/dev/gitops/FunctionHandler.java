package dev.gitops;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.function.FunctionError;
import dev.gitops.function.Functions;
import dev.gitops.function.LambdaFunction;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lambda entry of the state machine's functions and the janitor: {@code dev.gitops.FunctionHandler::handleRequest},
 * with {@code GITOPS_FUNCTION} naming the {@link LambdaFunction}: {@code gitops-pipeline-function}
 * ({@code ${PipelineFunction}}), {@code gitops-approval-function} ({@code ${ApprovalFunction}}) or {@code janitor}
 * (EventBridge's "Step Functions Execution Status Change" events). The same beans run in process in local mode. One
 * application context per execution environment, started at the function's init (where SnapStart's priming, {@link
 * SnapStartPriming}, can reach it).
 */
public class FunctionHandler implements RequestStreamHandler {
    /**
     * A function's failure as Lambda reports it: errorType {@code dev.gitops.FunctionHandler$FunctionFailure},
     * errorMessage {@code "<Name>: <sentence>"}; the state machine's ExplainFailure reads the name back.
     */
    public static final class FunctionFailure extends RuntimeException {
        public FunctionFailure(String message) {
            super(message);
        }
    }

    private static ApplicationContext context;

    public FunctionHandler() {
        context();
    }

    /** Closes the application context (tests; the Lambda runtime just freezes the process). */
    static synchronized void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    private static synchronized ApplicationContext context() {
        if (context == null) {
            context = ApplicationContext.builder(Environment.FUNCTION, "lambda").start();
        }
        return context;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambdaContext) throws IOException {
        String which = System.getenv().getOrDefault("GITOPS_FUNCTION", System.getProperty("gitops.function", ""));
        Functions functions = context().getBean(Functions.class);
        LambdaFunction function = functions.named(which).orElseThrow(() -> new IllegalStateException(
                "GITOPS_FUNCTION must name a function (" + String.join(", ", functions.names()) + "); it is '" + which + "'"));
        ObjectMapper mapper = context().getBean(ObjectMapper.class);
        JsonNode event = mapper.readTree(input);
        JsonNode result;
        try {
            result = function.handle(event);
        } catch (FunctionError e) {
            // Lambda names a Java error by its class; the name the pipeline reads travels in the message
            throw new FunctionFailure(e.errorType() + ": " + e.getMessage());
        }
        mapper.writeValue(output, result);
    }
}
