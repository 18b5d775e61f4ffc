package dev.gitops.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.EngineHarness;
import dev.gitops.engine.data.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.gitops.engine.api.ApiFixtures.PREFIX;
import static dev.gitops.engine.api.ApiFixtures.refused;
import static dev.gitops.engine.api.ApiFixtures.refusedAs;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Acceptance tests of the task callback operations of the AWS-protocol API (SendTaskSuccess, SendTaskFailure,
 * SendTaskHeartbeat) through the AWS SDK v2: refusals of bad outputs and unknown or malformed tokens.
 */
class TaskCallbackApiTest {
    private static final String CALLBACK = """
            {"StartAt":"Ask","States":{
              "Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token"}},
                "ResultPath":"$.answer","End":true}}}""";

    /** An engine whose "notify" function records the payload it is given, the task token among it. */
    private static EngineHarness notifying(AtomicReference<JsonNode> received) {
        return EngineHarness.manual().function("notify", payload -> {
            received.set(payload);
            return Json.object();
        });
    }

    /** Waits until the callback task has handed its token to the function, and returns the token. */
    private static String awaitToken(EngineHarness h, String executionArn, AtomicReference<JsonNode> received) {
        h.awaitEvent(executionArn, "TaskSubmitted");
        return received.get().get("token").asText();
    }

    @Test
    void sendTaskSuccessWithInvalidJsonIsInvalidOutput() {
        AtomicReference<JsonNode> received = new AtomicReference<>();
        try (EngineHarness h = notifying(received)) {
            String x = h.start(h.machine("cb", CALLBACK), "one", "{}");
            String token = awaitToken(h, x, received);
            for (String bad : List.of("{", "not json", "{\"a\":1} trailing")) {
                refusedAs("output '" + bad + "'", InvalidOutputException.class,
                        () -> h.sfn.sendTaskSuccess(b -> b.taskToken(token).output(bad)));
            }
            assertEquals(ExecutionStatus.RUNNING, h.sfn.describeExecution(b -> b.executionArn(x)).status());
            h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"ok\":true}"));
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals("{\"answer\":{\"ok\":true}}", d.output());
            // AWS: a token whose task has ended -> TaskTimedOut ("Provided task does not exist anymore")
            refused(TaskTimedOutException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")));
        }
    }

    /** "" is not a JSON text: the task must keep waiting, not succeed with a missing result. */
    @Test
    void sendTaskSuccessWithEmptyOutputIsInvalidOutput() {
        AtomicReference<JsonNode> received = new AtomicReference<>();
        try (EngineHarness h = notifying(received)) {
            String x = h.start(h.machine("cb", CALLBACK), "one", "{}");
            String token = awaitToken(h, x, received);
            refused(InvalidOutputException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("")));
            assertEquals(ExecutionStatus.RUNNING, h.sfn.describeExecution(b -> b.executionArn(x)).status());
        }
    }

    @Test
    void taskTokenOfAnUnknownExecutionIsTaskDoesNotExist() {
        try (EngineHarness h = EngineHarness.manual()) {
            String raw = PREFIX + "execution:ghost:run|3|" + "0".repeat(32);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            refused(TaskDoesNotExistException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")));
            refused(TaskDoesNotExistException.class, () -> h.sfn.sendTaskFailure(b -> b.taskToken(token).error("E")));
            refused(TaskDoesNotExistException.class, () -> h.sfn.sendTaskHeartbeat(b -> b.taskToken(token)));
            refused(InvalidTokenException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken("garbage").output("{}")));
            refused(InvalidTokenException.class, () -> h.sfn.sendTaskHeartbeat(b -> b.taskToken("garbage")));
        }
    }
}
