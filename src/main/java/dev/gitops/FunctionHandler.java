package dev.gitops;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.local.InProcessFunction;
import dev.gitops.pipeline.ExecutionEnded;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lambda entry of the state machine's functions and the janitor: {@code dev.gitops.FunctionHandler::handleRequest},
 * with {@code GITOPS_FUNCTION} saying which: {@code gitops-pipeline-function} ({@code ${PipelineFunction}}),
 * {@code gitops-approval-function} ({@code ${ApprovalFunction}}) or {@code janitor} (EventBridge's "Step Functions
 * Execution Status Change" events). The same beans run in process in local mode. One application context per execution
 * environment.
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

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static ApplicationContext context;
    private static volatile boolean swept;

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
        JsonNode event = MAPPER.readTree(input);
        JsonNode result;
        if ("janitor".equals(which)) {
            if (!swept) {
                swept = true;
                // a cold start sweeps once, for events lost while no instance ran (as local mode sweeps at startup)
                context().getBean(dev.gitops.lock.LockJanitor.class).sweep();
            }
            JsonNode detail = event.path("detail");
            String arn = detail.path("executionArn").asText();
            String error = detail.path("error").asText(null);
            String executionInput = detail.path("input").asText(null);
            String executionOutput = detail.path("output").asText(null);
            if ((error == null && "FAILED".equals(detail.path("status").asText())) || executionInput == null) {
                // the event may leave out the error, or carry input and output only as details: ask Step Functions
                var described = context().getBean(software.amazon.awssdk.services.sfn.SfnClient.class)
                        .describeExecution(b -> b.executionArn(arn));
                error = described.error();
                executionInput = described.input();
                executionOutput = described.output();
            }
            context().getBean(ExecutionEnded.class).handle(arn, detail.path("status").asText(), error, executionInput, executionOutput, false);
            result = MAPPER.createObjectNode().put("ok", true);
        } else {
            InProcessFunction function = context().getBeansOfType(InProcessFunction.class).stream()
                    .filter(f -> f.functionName().equals(which)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("GITOPS_FUNCTION must name a function (gitops-pipeline-function,"
                            + " gitops-approval-function) or be 'janitor'; it is '" + which + "'"));
            try {
                result = function.handle(event);
            } catch (dev.gitops.engine.tasks.FunctionError e) {
                // Lambda names a Java error by its class; the name the pipeline reads travels in the message
                throw new FunctionFailure(e.errorType() + ": " + e.getMessage());
            } catch (RuntimeException | IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        MAPPER.writeValue(output, result);
    }
}
