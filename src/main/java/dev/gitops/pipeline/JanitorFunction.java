package dev.gitops.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.function.LambdaFunction;
import dev.gitops.function.Payloads;
import dev.gitops.lock.LockJanitor;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The janitor in AWS ({@code GITOPS_FUNCTION=janitor}): EventBridge's "Step Functions Execution Status Change" events
 * of the pipeline, handed to {@link ExecutionEnded}. Its first event after a cold start also sweeps for locks left by
 * executions that ended while no instance ran (as local mode sweeps at startup). Locally the engine's listener does
 * this work, and nothing calls this function.
 */
@Singleton
@Named(JanitorFunction.NAME)
public class JanitorFunction implements LambdaFunction {
    public static final String NAME = "janitor";

    /** The event's parts the janitor reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Event(Detail detail) {
    }

    /** EventBridge's {@code detail}: input and output may be left out (then Step Functions is asked). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Detail(String executionArn, String status, String error, String cause, String input, String output) {
    }

    /** The function's answer. */
    public record Result(boolean ok) {
    }

    private final ExecutionEnded ended;
    private final LockJanitor janitor;
    private final SfnClient sfn;
    private final Payloads payloads;
    private final AtomicBoolean swept = new AtomicBoolean();

    public JanitorFunction(ExecutionEnded ended, LockJanitor janitor, SfnClient sfn, Payloads payloads) {
        this.ended = ended;
        this.janitor = janitor;
        this.sfn = sfn;
        this.payloads = payloads;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode handle(JsonNode payload) {
        if (swept.compareAndSet(false, true)) {
            janitor.sweep();
        }
        Event event = payloads.read(payload, Event.class);
        Detail detail = event.detail() == null ? new Detail(null, null, null, null, null, null) : event.detail();
        String error = detail.error();
        String cause = detail.cause();
        String input = detail.input();
        String output = detail.output();
        ExecutionStatus status = ExecutionStatus.fromValue(detail.status());
        if ((error == null || cause == null) && status == ExecutionStatus.FAILED || input == null) {
            // the event may leave out the error, or carry input and output only as details: ask Step Functions
            DescribeExecutionResponse described = sfn.describeExecution(b -> b.executionArn(detail.executionArn()));
            error = described.error();
            cause = described.cause();
            input = described.input();
            output = described.output();
        }
        ended.handle(detail.executionArn(), status, error, cause, input, output, false);
        return payloads.write(new Result(true));
    }
}
