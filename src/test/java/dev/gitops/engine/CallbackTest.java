package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gitops.engine.EngineHarness.json;
import static dev.gitops.engine.TaskFixtures.CALLBACK;
import static dev.gitops.engine.TaskFixtures.callbackMachine;
import static dev.gitops.engine.TaskFixtures.parking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Acceptance tests for the callback (task token) pattern, {@code .waitForTaskToken}: SendTaskSuccess, SendTaskFailure
 * and the refusal of spent or malformed tokens, with AWS Step Functions' semantics.
 */
class CallbackTest {
    @Test
    void callbackTokenReachesTheFunctionAndSendTaskSuccessCompletesAtResultPath() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(calls, tokens))) {
            String x = h.start(h.machine("callback-success", """
                    {"StartAt":"Approve","States":{
                      "Approve":{"Type":"Task","Resource":"%s",
                        "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token","order.$":"$.order"}},
                        "ResultPath":"$.approval","Next":"Done"},
                      "Done":{"Type":"Succeed"}}}""".formatted(CALLBACK)), "one", "{\"order\":7}");

            HistoryEvent submitted = h.awaitEvent(x, "TaskSubmitted");

            assertEquals(1, tokens.size());
            String token = tokens.get(0);
            assertFalse(token.isEmpty());
            JsonNode response = json(submitted.taskSubmittedEventDetails().output());
            assertEquals(json("{\"parked\":true}"), response.get("Payload"), "TaskSubmitted holds the function's response");
            assertEquals(200, response.get("StatusCode").asInt());
            JsonNode parameters = json(h.events(x, "TaskScheduled").get(0).taskScheduledEventDetails().parameters());
            assertEquals(token, parameters.get("Payload").get("token").asText());
            assertEquals(7, parameters.get("Payload").get("order").asInt());
            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status());

            h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\":true}"));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("{\"order\":7,\"approval\":{\"approved\":true}}"), json(d.output()));
            assertEquals(List.of("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
                    "TaskSucceeded", "TaskStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"),
                    h.types(x));
            assertEquals(json("{\"approved\":true}"),
                    json(h.events(x, "TaskSucceeded").get(0).taskSucceededEventDetails().output()));
            assertEquals(1, calls.get(), "the function is invoked exactly once");
        }
    }

    @Test
    void sendTaskFailureIsCaughtByACatcherOnItsErrorName() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), tokens))) {
            String x = h.start(h.machine("callback-failure-caught", """
                    {"StartAt":"Approve","States":{
                      "Approve":{"Type":"Task","Resource":"%s",
                        "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                        "Catch":[{"ErrorEquals":["Rejected"],"ResultPath":"$.error","Next":"Handled"}],
                        "End":true},
                      "Handled":{"Type":"Pass","End":true}}}""".formatted(CALLBACK)), "one", "{\"order\":7}");
            h.awaitEvent(x, "TaskSubmitted");

            h.sfn.sendTaskFailure(b -> b.taskToken(tokens.get(0)).error("Rejected").cause("manager said no"));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("{\"order\":7,\"error\":{\"Error\":\"Rejected\",\"Cause\":\"manager said no\"}}"),
                    json(d.output()));
            assertEquals(List.of("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
                    "TaskFailed", "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"), h.types(x));
            HistoryEvent failed = h.events(x, "TaskFailed").get(0);
            assertEquals("Rejected", failed.taskFailedEventDetails().error());
            assertEquals("manager said no", failed.taskFailedEventDetails().cause());
        }
    }

    @Test
    void uncaughtSendTaskFailureFailsTheExecutionWithItsErrorAndCause() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(calls, tokens))) {
            String x = h.start(h.machine("callback-failure", callbackMachine("")), "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");

            h.sfn.sendTaskFailure(b -> b.taskToken(tokens.get(0)).error("Rejected").cause("manager said no"));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("Rejected", d.error());
            assertEquals("manager said no", d.cause());
            HistoryEvent last = h.lastEvent(x);
            assertEquals("ExecutionFailed", last.typeAsString());
            assertEquals("Rejected", last.executionFailedEventDetails().error());
            assertEquals("manager said no", last.executionFailedEventDetails().cause());
            assertEquals(1, calls.get());
        }
    }

    @Test
    void aSecondSendTaskSuccessWithTheSameTokenAnswersTaskTimedOut() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(calls, tokens))) {
            String x = h.start(h.machine("callback-twice", """
                    {"StartAt":"Approve","States":{
                      "Approve":{"Type":"Task","Resource":"%s",
                        "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                        "ResultPath":"$.approval","Next":"Hold"},
                      "Hold":{"Type":"Wait","Seconds":3600,"End":true}}}""".formatted(CALLBACK)), "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");
            String token = tokens.get(0);
            h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"n\":1}"));
            h.awaitEvent(x, "WaitStateEntered");

            assertThrows(TaskTimedOutException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"n\":2}")));
            assertThrows(TaskTimedOutException.class,
                    () -> h.sfn.sendTaskFailure(b -> b.taskToken(token).error("Late").cause("late")));

            h.time.advance(Duration.ofSeconds(3600));
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("{\"approval\":{\"n\":1}}"), json(d.output()));
            assertEquals(1, h.events(x, "TaskSucceeded").size());
            assertEquals(1, calls.get());
        }
    }

    @Test
    void aMalformedTokenAnswersInvalidToken() throws Exception {
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), new CopyOnWriteArrayList<>()))) {
            String x = h.start(h.machine("callback-bad-token", callbackMachine("")), "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");

            assertThrows(InvalidTokenException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken("not-a-token").output("{}")));
            assertThrows(InvalidTokenException.class,
                    () -> h.sfn.sendTaskFailure(b -> b.taskToken("not-a-token").error("E").cause("c")));
            assertThrows(InvalidTokenException.class, () -> h.sfn.sendTaskHeartbeat(b -> b.taskToken("not-a-token")));

            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status());
        }
    }
}
