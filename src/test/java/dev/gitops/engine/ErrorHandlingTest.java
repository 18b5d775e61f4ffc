package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.tasks.FunctionError;
import dev.gitops.engine.tasks.LocalFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gitops.engine.EngineHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Acceptance tests for Retry, Catch, task timeouts and heartbeats, the callback (task token) pattern, StopExecution and
 * the execution-level timeout, with AWS Step Functions' semantics. Everything goes through the AWS SDK client; time
 * only moves when a test advances the {@link ManualTime}.
 */
class ErrorHandlingTest {
    private static final String INVOKE = "arn:aws:states:::lambda:invoke";
    private static final String CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken";
    /** Timers closer than this are retries, task timeouts or waits a test armed; a task's default timeout is farther. */
    private static final Duration NEAR = Duration.ofDays(30);

    // ============================================================================================ Retry

    @Test
    void retryDefaultsWaitOneTwoFourSecondsAndPassTheRetryCount() throws Exception {
        List<JsonNode> payloads = Collections.synchronizedList(new ArrayList<>());
        try (EngineHarness h = EngineHarness.manual().function("flaky", failing(payloads, "Flaky", "Flaky", "Flaky"))) {
            String x = h.start(h.machine("retry-defaults", retryMachine("[{\"ErrorEquals\":[\"Flaky\"]}]")), "one", "{}");

            List<Duration> delays = retryDelays(h, x, 3);

            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), delays);
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("{\"result\":{\"ok\":true}}"), json(d.output()));
            assertEquals(List.of(0, 1, 2, 3), retryCounts(payloads));
            assertEquals(List.of("ExecutionStarted", "TaskStateEntered",
                    "TaskScheduled", "TaskStarted", "TaskFailed",
                    "TaskScheduled", "TaskStarted", "TaskFailed",
                    "TaskScheduled", "TaskStarted", "TaskFailed",
                    "TaskScheduled", "TaskStarted", "TaskSucceeded",
                    "TaskStateExited", "ExecutionSucceeded"), h.types(x));
            for (HistoryEvent failed : events(h, x, "TaskFailed")) {
                assertEquals("Flaky", failed.taskFailedEventDetails().error());
            }
        }
    }

    @Test
    void retryBackoffMultipliesTheIntervalByBackoffRate() throws Exception {
        List<JsonNode> payloads = Collections.synchronizedList(new ArrayList<>());
        try (EngineHarness h = EngineHarness.manual().function("flaky", failing(payloads, "Flaky", "Flaky", "Flaky"))) {
            String x = h.start(h.machine("retry-backoff", retryMachine("""
                    [{"ErrorEquals":["Flaky"],"IntervalSeconds":3,"BackoffRate":1.5,"MaxAttempts":3}]""")), "one", "{}");

            List<Duration> delays = retryDelays(h, x, 3);

            assertEquals(List.of(Duration.ofMillis(3000), Duration.ofMillis(4500), Duration.ofMillis(6750)), delays);
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(List.of(0, 1, 2, 3), retryCounts(payloads));
        }
    }

    @Test
    void retryBackoffDoublesTheIntervalUpToMaxDelaySeconds() throws Exception {
        List<JsonNode> payloads = Collections.synchronizedList(new ArrayList<>());
        try (EngineHarness h = EngineHarness.manual()
                .function("flaky", failing(payloads, "Flaky", "Flaky", "Flaky", "Flaky"))) {
            String x = h.start(h.machine("retry-max-delay", retryMachine("""
                    [{"ErrorEquals":["Flaky"],"IntervalSeconds":2,"BackoffRate":2,"MaxDelaySeconds":5,"MaxAttempts":4}]""")),
                    "one", "{}");

            List<Duration> delays = retryDelays(h, x, 4);

            assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5)),
                    delays);
            assertEquals(ExecutionStatus.SUCCEEDED, h.awaitEnd(x).status());
        }
    }

    @Test
    void fullJitterPicksEachDelayBetweenZeroAndTheComputedBackoff() throws Exception {
        List<JsonNode> payloads = Collections.synchronizedList(new ArrayList<>());
        try (EngineHarness h = EngineHarness.manual()
                .function("flaky", failing(payloads, "Flaky", "Flaky", "Flaky", "Flaky"))) {
            String x = h.start(h.machine("retry-jitter", retryMachine("""
                    [{"ErrorEquals":["Flaky"],"IntervalSeconds":10,"BackoffRate":2,"MaxAttempts":4,"JitterStrategy":"FULL"}]""")),
                    "one", "{}");

            List<Duration> delays = retryDelays(h, x, 4);

            List<Duration> computed = List.of(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                    Duration.ofSeconds(80));
            for (int i = 0; i < delays.size(); i++) {
                assertFalse(delays.get(i).isNegative(), "delay " + i + " is " + delays.get(i));
                assertTrue(delays.get(i).compareTo(computed.get(i)) <= 0,
                        "delay " + i + " is " + delays.get(i) + ", above the computed " + computed.get(i));
            }
            assertNotEquals(computed, delays, "FULL jitter must randomise the delays");
            assertEquals(ExecutionStatus.SUCCEEDED, h.awaitEnd(x).status());
            assertEquals(List.of(0, 1, 2, 3, 4), retryCounts(payloads));
        }
    }

    @Test
    void maxAttemptsZeroMeansTheErrorIsNeverRetriedEvenWithALaterCatchAllRetrier() {
        List<JsonNode> payloads = Collections.synchronizedList(new ArrayList<>());
        try (EngineHarness h = EngineHarness.manual().function("flaky", failing(payloads, "Flaky", "Flaky"))) {
            String x = h.start(h.machine("retry-zero", retryMachine("""
                    [{"ErrorEquals":["Flaky"],"MaxAttempts":0},{"ErrorEquals":["States.ALL"],"MaxAttempts":5}]""")),
                    "one", "{\"n\":1}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals("Flaky", json(d.output()).get("error").get("Error").asText());
            assertEquals(1, payloads.size(), "the function must be invoked once");
            assertEquals(1, events(h, x, "TaskFailed").size());
            assertEquals(1, events(h, x, "TaskScheduled").size());
        }
    }

    @Test
    void exhaustedRetriesFallThroughToCatch() throws Exception {
        List<JsonNode> payloads = Collections.synchronizedList(new ArrayList<>());
        try (EngineHarness h = EngineHarness.manual()
                .function("flaky", failing(payloads, "Flaky", "Flaky", "Flaky", "Flaky", "Flaky"))) {
            String x = h.start(h.machine("retry-exhausted", retryMachine("""
                    [{"ErrorEquals":["Flaky"],"IntervalSeconds":1,"BackoffRate":1,"MaxAttempts":2}]""")),
                    "one", "{\"order\":7}");

            List<Duration> delays = retryDelays(h, x, 2);

            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), delays);
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            JsonNode output = json(d.output());
            assertEquals(7, output.get("order").asInt());
            assertEquals("Flaky", output.get("error").get("Error").asText());
            assertEquals(3, payloads.size(), "one attempt and two retries");
            assertEquals(List.of(0, 1, 2), retryCounts(payloads));
            assertEquals(List.of("ExecutionStarted", "TaskStateEntered",
                    "TaskScheduled", "TaskStarted", "TaskFailed",
                    "TaskScheduled", "TaskStarted", "TaskFailed",
                    "TaskScheduled", "TaskStarted", "TaskFailed",
                    "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"), h.types(x));
        }
    }

    @Test
    void firstMatchingRetrierDecidesAndLaterRetriersAreNotConsulted() throws Exception {
        List<JsonNode> payloads = Collections.synchronizedList(new ArrayList<>());
        try (EngineHarness h = EngineHarness.manual()
                .function("flaky", failing(payloads, "Flaky", "Flaky", "Flaky", "Flaky", "Flaky"))) {
            String x = h.start(h.machine("retry-first-match", retryMachine("""
                    [{"ErrorEquals":["Other"],"IntervalSeconds":30,"MaxAttempts":5},
                     {"ErrorEquals":["Flaky"],"IntervalSeconds":2,"MaxAttempts":1},
                     {"ErrorEquals":["States.ALL"],"IntervalSeconds":7,"MaxAttempts":5}]""")), "one", "{}");

            List<Duration> delays = retryDelays(h, x, 1);

            assertEquals(List.of(Duration.ofSeconds(2)), delays);
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals("Flaky", json(d.output()).get("error").get("Error").asText());
            assertEquals(2, payloads.size(), "the matching retrier allows one retry; States.ALL must not add more");
        }
    }

    /** The example of AWS's "Handling errors in Step Functions workflows": ErrorA, ErrorB, ErrorC, ErrorB. */
    @Test
    void eachRetrierKeepsItsOwnAttemptCountAndBackoff() throws Exception {
        List<JsonNode> payloads = Collections.synchronizedList(new ArrayList<>());
        try (EngineHarness h = EngineHarness.manual()
                .function("flaky", failing(payloads, "ErrorA", "ErrorB", "ErrorC", "ErrorB"))) {
            String x = h.start(h.machine("retry-per-retrier", retryMachine("""
                    [{"ErrorEquals":["ErrorA","ErrorB"],"IntervalSeconds":1,"BackoffRate":2.0,"MaxAttempts":2},
                     {"ErrorEquals":["ErrorC"],"IntervalSeconds":5}]""")), "one", "{}");

            List<Duration> delays = retryDelays(h, x, 3);

            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)), delays);
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals("ErrorB", json(d.output()).get("error").get("Error").asText(),
                    "the fourth error (ErrorB) finds its retrier exhausted and goes to the Catcher");
            assertEquals(4, payloads.size());
            assertEquals(List.of(0, 1, 2, 3), retryCounts(payloads));
        }
    }

    // ============================================================================================ Catch

    @Test
    void catchByErrorNamePlacesErrorAndCauseAtResultPathAndContinuesAtNext() {
        try (EngineHarness h = EngineHarness.manual().function("boom", boom())) {
            String x = h.start(h.machine("catch-name", catchMachine("""
                    [{"ErrorEquals":["OtherError"],"Next":"Wrong"},
                     {"ErrorEquals":["MyError"],"ResultPath":"$.error","Next":"Recovered"}]""")),
                    "one", "{\"order\":7}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            ObjectNode output = (ObjectNode) json(d.output());
            JsonNode error = output.remove("error");
            assertEquals(json("{\"order\":7}"), output, "the rest of the original input is kept");
            assertEquals(Set.of("Error", "Cause"), fieldNames(error));
            assertEquals("MyError", error.get("Error").asText());
            JsonNode cause = json(error.get("Cause").asText());
            assertEquals("boom happened", cause.get("errorMessage").asText());
            assertEquals("MyError", cause.get("errorType").asText());

            assertEquals(List.of("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed",
                    "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"), h.types(x));
            HistoryEvent failed = events(h, x, "TaskFailed").get(0);
            assertEquals("MyError", failed.taskFailedEventDetails().error());
            assertEquals(error.get("Cause").asText(), failed.taskFailedEventDetails().cause());
            HistoryEvent exited = events(h, x, "TaskStateExited").get(0);
            HistoryEvent entered = events(h, x, "PassStateEntered").get(0);
            assertEquals("Recovered", entered.stateEnteredEventDetails().name());
            assertEquals(json(exited.stateExitedEventDetails().output()), json(entered.stateEnteredEventDetails().input()));
        }
    }

    @Test
    void catchWithoutResultPathReplacesTheInputWithTheErrorObject() {
        try (EngineHarness h = EngineHarness.manual().function("boom", boom())) {
            String x = h.start(h.machine("catch-no-path", catchMachine("""
                    [{"ErrorEquals":["MyError"],"Next":"Recovered"}]""")), "one", "{\"order\":7}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            JsonNode output = json(d.output());
            assertEquals(Set.of("Error", "Cause"), fieldNames(output));
            assertEquals("MyError", output.get("Error").asText());
            assertEquals("boom happened", json(output.get("Cause").asText()).get("errorMessage").asText());
        }
    }

    @Test
    void catchWithNullResultPathPassesTheOriginalInputOn() {
        try (EngineHarness h = EngineHarness.manual().function("boom", boom())) {
            String x = h.start(h.machine("catch-null-path", catchMachine("""
                    [{"ErrorEquals":["MyError"],"ResultPath":null,"Next":"Recovered"}]""")), "one", "{\"order\":7}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("{\"order\":7}"), json(d.output()));
            assertEquals("Recovered", events(h, x, "PassStateEntered").get(0).stateEnteredEventDetails().name());
        }
    }

    @ParameterizedTest(name = "a Catcher on {0} catches a function error")
    @ValueSource(strings = {"States.ALL", "States.TaskFailed"})
    void wildcardCatchersCatchANamedFunctionError(String wildcard) {
        try (EngineHarness h = EngineHarness.manual().function("boom", boom())) {
            String x = h.start(h.machine("catch-" + wildcard.replace('.', '-'), catchMachine("""
                    [{"ErrorEquals":["%s"],"ResultPath":"$.error","Next":"Recovered"}]""".formatted(wildcard))), "one", "{}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals("MyError", json(d.output()).get("error").get("Error").asText());
        }
    }

    @Test
    void aJavaExceptionFailsWithItsClassNameAndAJsonCause() {
        try (EngineHarness h = EngineHarness.manual().function("boom", payload -> {
            throw new IllegalStateException("bad state");
        })) {
            String x = h.start(h.machine("catch-java", catchMachine("""
                    [{"ErrorEquals":["java.lang.IllegalStateException"],"ResultPath":"$.error","Next":"Recovered"}]""")),
                    "one", "{}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            JsonNode error = json(d.output()).get("error");
            assertEquals("java.lang.IllegalStateException", error.get("Error").asText());
            JsonNode cause = json(error.get("Cause").asText());
            assertTrue(cause.isObject(), "the cause is a JSON object: " + cause);
            assertEquals("bad state", cause.get("errorMessage").asText());
            assertEquals("java.lang.IllegalStateException", cause.get("errorType").asText());
            assertEquals("java.lang.IllegalStateException", events(h, x, "TaskFailed").get(0).taskFailedEventDetails().error());
        }
    }

    @Test
    void uncaughtFunctionErrorFailsTheExecutionWithItsNameAndCause() {
        try (EngineHarness h = EngineHarness.manual().function("boom", boom())) {
            String x = h.start(h.machine("catch-miss", catchMachine("""
                    [{"ErrorEquals":["OtherError"],"Next":"Recovered"}]""")), "one", "{}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("MyError", d.error());
            assertEquals("boom happened", json(d.cause()).get("errorMessage").asText());
            List<String> types = h.types(x);
            assertEquals(List.of("TaskFailed", "ExecutionFailed"), types.subList(types.size() - 2, types.size()));
            assertEquals("MyError", last(h, x).executionFailedEventDetails().error());
        }
    }

    @Test
    void statesTimeoutIsNotMatchedByStatesTaskFailedButIsByStatesAll() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(calls, new CopyOnWriteArrayList<>()))) {
            String x = h.start(h.machine("timeout-catch", """
                    {"StartAt":"Wait","States":{
                      "Wait":{"Type":"Task","Resource":"%s","TimeoutSeconds":5,
                        "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                        "Retry":[{"ErrorEquals":["States.TaskFailed"],"MaxAttempts":3}],
                        "Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.error","Next":"TaskFailedCaught"},
                                 {"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"AllCaught"}],
                        "End":true},
                      "TaskFailedCaught":{"Type":"Pass","End":true},
                      "AllCaught":{"Type":"Pass","End":true}}}""".formatted(CALLBACK)), "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");

            h.time.advance(Duration.ofSeconds(5));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals("States.Timeout", json(d.output()).get("error").get("Error").asText());
            assertEquals("AllCaught", events(h, x, "PassStateEntered").get(0).stateEnteredEventDetails().name());
            assertEquals(1, calls.get(), "a States.TaskFailed retrier must not retry States.Timeout");
        }
    }

    @Test
    void statesTimeoutWithOnlyAStatesTaskFailedCatcherFailsTheExecution() throws Exception {
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), new CopyOnWriteArrayList<>()))) {
            String x = h.start(h.machine("timeout-uncaught", """
                    {"StartAt":"Wait","States":{
                      "Wait":{"Type":"Task","Resource":"%s","TimeoutSeconds":5,
                        "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                        "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"TaskFailedCaught"}],
                        "End":true},
                      "TaskFailedCaught":{"Type":"Pass","End":true}}}""".formatted(CALLBACK)), "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");

            h.time.advance(Duration.ofSeconds(5));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.Timeout", d.error());
            assertFalse(h.types(x).contains("PassStateEntered"));
        }
    }

    // ============================================================================================ timeouts, heartbeats

    @Test
    void taskTimeoutSecondsTimesOutOnlyOnceTheTimeoutHasPassed() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), tokens))) {
            String x = h.start(h.machine("task-timeout", callbackMachine("\"TimeoutSeconds\":10,")), "one", "{}");
            Instant started = h.time.now();
            h.awaitEvent(x, "TaskSubmitted");
            assertEquals(List.of(started.plusSeconds(10)), h.time.pending());
            assertEquals(10L, events(h, x, "TaskScheduled").get(0).taskScheduledEventDetails().timeoutInSeconds());

            h.time.advance(Duration.ofSeconds(9));
            assertEquals(ExecutionStatus.RUNNING, describe(h, x).status());
            assertFalse(h.types(x).contains("TaskTimedOut"));
            assertEquals(List.of(started.plusSeconds(10)), h.time.pending());

            h.time.advance(Duration.ofSeconds(1));
            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.Timeout", d.error());
            List<String> types = h.types(x);
            assertEquals(List.of("TaskSubmitted", "TaskTimedOut", "ExecutionFailed"), types.subList(types.size() - 3, types.size()));
            assertEquals("States.Timeout", events(h, x, "TaskTimedOut").get(0).taskTimedOutEventDetails().error());
        }
    }

    @Test
    void timeoutSecondsPathTakesTheTimeoutFromTheInput() throws Exception {
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), new CopyOnWriteArrayList<>()))) {
            String x = h.start(h.machine("task-timeout-path", callbackMachine("\"TimeoutSecondsPath\":\"$.limits.timeout\",")),
                    "one", "{\"limits\":{\"timeout\":30}}");
            Instant started = h.time.now();
            h.awaitEvent(x, "TaskSubmitted");
            assertEquals(List.of(started.plusSeconds(30)), h.time.pending());
            assertEquals(30L, events(h, x, "TaskScheduled").get(0).taskScheduledEventDetails().timeoutInSeconds());

            h.time.advance(Duration.ofSeconds(29));
            assertEquals(ExecutionStatus.RUNNING, describe(h, x).status());

            h.time.advance(Duration.ofSeconds(1));
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.Timeout", d.error());
        }
    }

    @Test
    void heartbeatSecondsTimesOutWithStatesHeartbeatTimeoutWhenNoHeartbeatArrives() throws Exception {
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), new CopyOnWriteArrayList<>()))) {
            String x = h.start(h.machine("heartbeat-timeout",
                    callbackMachine("\"TimeoutSeconds\":100,\"HeartbeatSeconds\":5,")), "one", "{}");
            Instant started = h.time.now();
            h.awaitEvent(x, "TaskSubmitted");
            assertEquals(List.of(started.plusSeconds(5), started.plusSeconds(100)), h.time.pending());
            assertEquals(5L, events(h, x, "TaskScheduled").get(0).taskScheduledEventDetails().heartbeatInSeconds());

            h.time.advance(Duration.ofSeconds(4));
            assertEquals(ExecutionStatus.RUNNING, describe(h, x).status());

            h.time.advance(Duration.ofSeconds(1));
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.HeartbeatTimeout", d.error());
            assertEquals("States.HeartbeatTimeout",
                    events(h, x, "TaskTimedOut").get(0).taskTimedOutEventDetails().error());
        }
    }

    @Test
    void aCatcherOnStatesTimeoutAlsoCatchesAMissedHeartbeatButStatesTaskFailedDoesNot() throws Exception {
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), new CopyOnWriteArrayList<>()))) {
            String machine = h.machine("heartbeat-caught", """
                    {"StartAt":"Wait","States":{
                      "Wait":{"Type":"Task","Resource":"%s","HeartbeatSeconds":5,
                        "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                        "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"TaskFailed"},
                                 {"ErrorEquals":["States.Timeout"],"ResultPath":"$.error","Next":"TimedOut"}],
                        "End":true},
                      "TaskFailed":{"Type":"Fail","Error":"WrongCatcher"},
                      "TimedOut":{"Type":"Pass","End":true}}}""".formatted(CALLBACK));
            String x = h.start(machine, "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");
            h.time.advance(Duration.ofSeconds(5));
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.error() + ": " + d.cause());
            assertEquals("States.HeartbeatTimeout", EngineHarness.json(d.output()).path("error").path("Error").asText());
        }
    }

    @Test
    void sendTaskHeartbeatBeforeTheDeadlineExtendsItWithoutAHistoryEvent() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), tokens))) {
            String x = h.start(h.machine("heartbeat-extends",
                    callbackMachine("\"TimeoutSeconds\":100,\"HeartbeatSeconds\":5,")), "one", "{}");
            Instant started = h.time.now();
            h.awaitEvent(x, "TaskSubmitted");
            h.time.advance(Duration.ofSeconds(4));
            List<String> before = h.types(x);

            h.sfn.sendTaskHeartbeat(b -> b.taskToken(tokens.get(0)));

            assertEquals(before, h.types(x), "SendTaskHeartbeat does not itself create a history event");
            assertEquals(List.of(started.plusSeconds(9), started.plusSeconds(100)), h.time.pending());
            h.time.advance(Duration.ofSeconds(4));
            assertEquals(ExecutionStatus.RUNNING, describe(h, x).status(), "8 s after the start, 4 s after the heartbeat");
            h.time.advance(Duration.ofSeconds(1));
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.HeartbeatTimeout", d.error());
        }
    }

    @Test
    void heartbeatsDoNotExtendTheTaskTimeout() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), tokens))) {
            String x = h.start(h.machine("heartbeat-no-extend",
                    callbackMachine("\"TimeoutSeconds\":12,\"HeartbeatSeconds\":5,")), "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");
            h.time.advance(Duration.ofSeconds(4));
            h.sfn.sendTaskHeartbeat(b -> b.taskToken(tokens.get(0)));
            h.time.advance(Duration.ofSeconds(4));
            h.sfn.sendTaskHeartbeat(b -> b.taskToken(tokens.get(0)));
            h.time.advance(Duration.ofSeconds(3));
            assertEquals(ExecutionStatus.RUNNING, describe(h, x).status());

            h.time.advance(Duration.ofSeconds(1));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.Timeout", d.error());
        }
    }

    @Test
    void callbacksAfterTheTaskTimedOutAnswerTaskTimedOut() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), tokens))) {
            String x = h.start(h.machine("late-callbacks", """
                    {"StartAt":"Wait","States":{
                      "Wait":{"Type":"Task","Resource":"%s","TimeoutSeconds":10,"HeartbeatSeconds":5,
                        "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                        "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Later"}],
                        "End":true},
                      "Later":{"Type":"Wait","Seconds":3600,"End":true}}}""".formatted(CALLBACK)), "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");
            String token = tokens.get(0);
            h.time.advance(Duration.ofSeconds(5));
            h.awaitEvent(x, "WaitStateEntered");
            List<String> before = h.types(x);

            assertThrows(TaskTimedOutException.class, () -> h.sfn.sendTaskHeartbeat(b -> b.taskToken(token)));
            assertThrows(TaskTimedOutException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")));
            assertThrows(TaskTimedOutException.class,
                    () -> h.sfn.sendTaskFailure(b -> b.taskToken(token).error("Late").cause("too late")));

            assertEquals(before, h.types(x), "late callbacks change nothing");
            assertEquals(ExecutionStatus.RUNNING, describe(h, x).status());
        }
    }

    // ============================================================================================ waitForTaskToken

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
            JsonNode parameters = json(events(h, x, "TaskScheduled").get(0).taskScheduledEventDetails().parameters());
            assertEquals(token, parameters.get("Payload").get("token").asText());
            assertEquals(7, parameters.get("Payload").get("order").asInt());
            assertEquals(ExecutionStatus.RUNNING, describe(h, x).status());

            h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\":true}"));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("{\"order\":7,\"approval\":{\"approved\":true}}"), json(d.output()));
            assertEquals(List.of("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
                    "TaskSucceeded", "TaskStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"),
                    h.types(x));
            assertEquals(json("{\"approved\":true}"),
                    json(events(h, x, "TaskSucceeded").get(0).taskSucceededEventDetails().output()));
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
            HistoryEvent failed = events(h, x, "TaskFailed").get(0);
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
            HistoryEvent last = last(h, x);
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
            assertEquals(1, events(h, x, "TaskSucceeded").size());
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

            assertEquals(ExecutionStatus.RUNNING, describe(h, x).status());
        }
    }

    // ============================================================================================ StopExecution

    @Test
    void stopExecutionWhileWaitingOnATokenAbortsTheTaskAndKillsTheToken() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), tokens))) {
            String x = h.start(h.machine("stop-callback", callbackMachine("\"TimeoutSeconds\":300,")), "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");

            h.sfn.stopExecution(b -> b.executionArn(x).error("Operator.Cancel").cause("no longer needed"));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.ABORTED, d.status());
            assertEquals("Operator.Cancel", d.error());
            assertEquals("no longer needed", d.cause());
            assertNotNull(d.stopDate());
            List<String> types = h.types(x);
            assertEquals(List.of("TaskStateAborted", "ExecutionAborted"), types.subList(types.size() - 2, types.size()));
            HistoryEvent aborted = last(h, x);
            assertEquals("Operator.Cancel", aborted.executionAbortedEventDetails().error());
            assertEquals("no longer needed", aborted.executionAbortedEventDetails().cause());
            assertEquals(List.of(), h.time.pending(), "the task's timeout timer is disarmed");
            assertThrows(TaskTimedOutException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken(tokens.get(0)).output("{}")));
            assertThrows(TaskTimedOutException.class, () -> h.sfn.sendTaskHeartbeat(b -> b.taskToken(tokens.get(0))));
            assertEquals(types, h.types(x));
        }
    }

    @Test
    void stopExecutionDuringAWaitStateRecordsWaitStateAborted() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("stop-wait", """
                    {"StartAt":"Hold","States":{
                      "Hold":{"Type":"Wait","Seconds":3600,"Next":"After"},
                      "After":{"Type":"Pass","End":true}}}"""), "one", "{}");
            h.awaitEvent(x, "WaitStateEntered");
            h.time.awaitPending(1);

            h.sfn.stopExecution(b -> b.executionArn(x).error("Operator.Cancel").cause("stop waiting"));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.ABORTED, d.status());
            assertEquals("Operator.Cancel", d.error());
            assertEquals("stop waiting", d.cause());
            List<String> types = h.types(x);
            assertEquals(List.of("ExecutionStarted", "WaitStateEntered", "WaitStateAborted", "ExecutionAborted"), types);
            h.time.advance(Duration.ofSeconds(3600));
            assertEquals(types, h.types(x), "the Wait does not end after the execution was stopped");
            assertEquals(ExecutionStatus.ABORTED, describe(h, x).status());
        }
    }

    // ============================================================================================ execution timeout

    @Test
    void executionTimeoutSecondsEndsTheExecutionTimedOut() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("execution-timeout", """
                    {"TimeoutSeconds":60,"StartAt":"Hold","States":{
                      "Hold":{"Type":"Wait","Seconds":3600,"End":true}}}"""), "one", "{}");
            Instant started = h.time.now();
            h.awaitEvent(x, "WaitStateEntered");
            h.time.awaitPending(2);

            h.time.advance(Duration.ofSeconds(59));
            assertEquals(ExecutionStatus.RUNNING, describe(h, x).status());
            h.time.advance(Duration.ofSeconds(1));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.TIMED_OUT, d.status());
            assertEquals(started.plusSeconds(60), d.stopDate());
            List<String> types = h.types(x);
            assertEquals("ExecutionTimedOut", types.get(types.size() - 1));
            h.time.advance(Duration.ofSeconds(3600));
            assertEquals(types, h.types(x), "nothing happens after the execution timed out");
        }
    }

    @Test
    void executionTimeoutWhileWaitingOnATokenTimesOutAndKillsTheToken() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), tokens))) {
            String x = h.start(h.machine("execution-timeout-callback", """
                    {"TimeoutSeconds":30,"StartAt":"Wait","States":{
                      "Wait":{"Type":"Task","Resource":"%s",
                        "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],
                        "End":true},
                      "Caught":{"Type":"Pass","End":true}}}""".formatted(CALLBACK)), "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");

            h.time.advance(Duration.ofSeconds(30));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.TIMED_OUT, d.status(), "an execution timeout is not a task error a Catcher sees");
            List<String> types = h.types(x);
            assertEquals("ExecutionTimedOut", types.get(types.size() - 1));
            assertFalse(types.contains("PassStateEntered"));
            assertThrows(TaskTimedOutException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken(tokens.get(0)).output("{}")));
        }
    }

    // ============================================================================================ States.Runtime

    @Test
    void statesRuntimeIsNeitherRetriedNorCaughtByStatesAll() {
        AtomicInteger calls = new AtomicInteger();
        try (EngineHarness h = EngineHarness.manual().function("ok", payload -> {
            calls.incrementAndGet();
            return Json.object().put("a", 1);
        })) {
            String x = h.start(h.machine("runtime-error", """
                    {"StartAt":"Call","States":{
                      "Call":{"Type":"Task","Resource":"%s","Parameters":{"FunctionName":"ok","Payload":{}},
                        "OutputPath":"$.Payload.missing",
                        "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3}],
                        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],
                        "End":true},
                      "Caught":{"Type":"Pass","End":true}}}""".formatted(INVOKE)), "one", "{}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.Runtime", d.error());
            assertFalse(h.types(x).contains("PassStateEntered"), "States.ALL must not catch States.Runtime");
            assertEquals(1, calls.get(), "States.ALL must not retry States.Runtime");
            assertEquals("ExecutionFailed", last(h, x).typeAsString());
        }
    }

    // ============================================================================================ listener

    @Test
    void listenerHearsRunningThenEachTerminalStatusWithAStopDate() throws Exception {
        List<ExecutionStatusChange> changes = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual()) {
            h.engine.addListener(changes::add);
            Map<String, ExecutionStatus> expected = new LinkedHashMap<>();
            // several executions that end at once, so that a start announcement racing the end shows up
            String okMachine = h.machine("listen-ok", """
                    {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}""");
            String failMachine = h.machine("listen-fail", """
                    {"StartAt":"A","States":{"A":{"Type":"Fail","Error":"Boom","Cause":"bad"}}}""");
            for (int i = 0; i < 5; i++) {
                expected.put(h.start(okMachine, "ok-" + i, "{}"), ExecutionStatus.SUCCEEDED);
                expected.put(h.start(failMachine, "failed-" + i, "{}"), ExecutionStatus.FAILED);
            }
            String aborted = h.start(h.machine("listen-abort", """
                    {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":3600,"End":true}}}"""), "aborted", "{}");
            String timedOut = h.start(h.machine("listen-timeout", """
                    {"TimeoutSeconds":10,"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":3600,"End":true}}}"""),
                    "timed-out", "{}");
            expected.put(aborted, ExecutionStatus.ABORTED);
            expected.put(timedOut, ExecutionStatus.TIMED_OUT);
            h.awaitEvent(aborted, "WaitStateEntered");
            h.sfn.stopExecution(b -> b.executionArn(aborted).error("Operator.Cancel").cause("stop"));
            h.awaitEvent(timedOut, "WaitStateEntered");
            h.time.advance(Duration.ofSeconds(10));
            for (Map.Entry<String, ExecutionStatus> e : expected.entrySet()) {
                assertEquals(e.getValue(), h.awaitEnd(e.getKey()).status());
            }

            Map<String, List<ExecutionStatusChange>> byExecution = awaitChanges(changes, expected.keySet(), 2);

            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, ExecutionStatus> e : expected.entrySet()) {
                String name = e.getKey().substring(e.getKey().lastIndexOf(':') + 1);
                List<ExecutionStatusChange> heard = byExecution.get(e.getKey());
                List<String> statuses = heard.stream().map(ExecutionStatusChange::status).toList();
                if (!statuses.equals(List.of("RUNNING", e.getValue().toString()))) {
                    problems.add(name + " heard " + statuses);
                    continue;
                }
                DescribeExecutionResponse d = describe(h, e.getKey());
                if (heard.get(0).stopDate() != null || !d.startDate().equals(heard.get(0).startDate())) {
                    problems.add(name + ": RUNNING change " + heard.get(0));
                }
                if (heard.get(1).stopDate() == null || !heard.get(1).stopDate().equals(d.stopDate())) {
                    problems.add(name + ": terminal change has stopDate " + heard.get(1).stopDate() + ", describe " + d.stopDate());
                }
                if (e.getValue() == ExecutionStatus.FAILED
                        && !(List.of("Boom", "bad").equals(List.of(heard.get(1).error(), heard.get(1).cause())))) {
                    problems.add(name + ": FAILED change " + heard.get(1));
                }
                if (e.getValue() == ExecutionStatus.ABORTED
                        && !(List.of("Operator.Cancel", "stop").equals(List.of(heard.get(1).error(), heard.get(1).cause())))) {
                    problems.add(name + ": ABORTED change " + heard.get(1));
                }
            }
            assertEquals(List.of(), problems, "each execution must be heard RUNNING, then once with its terminal status");
        }
    }

    // ============================================================================================ helpers

    /** A Task that calls "flaky" with the retry count, with the given Retry and a catch-all Catcher to "Recovered". */
    private static String retryMachine(String retry) {
        return """
                {"StartAt":"Call","States":{
                  "Call":{"Type":"Task","Resource":"%s",
                    "Parameters":{"FunctionName":"flaky","Payload":{"RetryCount.$":"$$.State.RetryCount"}},
                    "ResultSelector":{"result.$":"$.Payload"},
                    "Retry":%s,
                    "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Recovered"}],
                    "End":true},
                  "Recovered":{"Type":"Pass","End":true}}}""".formatted(INVOKE, retry);
    }

    /** A Task that calls "boom" with the given Catch; "Recovered" is a Pass, "Wrong" (when a Catcher names it) a Fail. */
    private static String catchMachine(String catchers) {
        String wrong = catchers.contains("\"Wrong\"")
                ? ",\n  \"Wrong\":{\"Type\":\"Fail\",\"Error\":\"WrongCatcher\",\"Cause\":\"the wrong Catcher matched\"}" : "";
        return """
                {"StartAt":"Call","States":{
                  "Call":{"Type":"Task","Resource":"%s",
                    "Parameters":{"FunctionName":"boom","Payload.$":"$"},
                    "Catch":%s,
                    "End":true},
                  "Recovered":{"Type":"Pass","End":true}%s}}""".formatted(INVOKE, catchers, wrong);
    }

    /** A single callback Task calling "park" with its token; {@code extra} adds fields (ending with a comma). */
    private static String callbackMachine(String extra) {
        return """
                {"StartAt":"Wait","States":{
                  "Wait":{"Type":"Task","Resource":"%s",%s
                    "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                    "End":true}}}""".formatted(CALLBACK, extra);
    }

    /** Fails with each of {@code errors} in turn, then succeeds with {"ok":true}; records every payload. */
    private static LocalFunction failing(List<JsonNode> payloads, String... errors) {
        return payload -> {
            int call = payloads.size();
            payloads.add(payload);
            if (call < errors.length) {
                throw new FunctionError(errors[call], "attempt " + call + " failed");
            }
            return Json.object().put("ok", true);
        };
    }

    private static LocalFunction boom() {
        return payload -> {
            throw new FunctionError("MyError", "boom happened");
        };
    }

    /** Records the token it is given and answers {"parked":true}. */
    private static LocalFunction parking(AtomicInteger calls, List<String> tokens) {
        return payload -> {
            calls.incrementAndGet();
            tokens.add(payload.get("token").asText());
            return Json.object().put("parked", true);
        };
    }

    private static List<Integer> retryCounts(List<JsonNode> payloads) {
        synchronized (payloads) {
            return payloads.stream().map(p -> p.get("RetryCount").asInt()).toList();
        }
    }

    /**
     * For each of {@code retries} failures: waits until the retry timer is armed, checks it is the only timer, records
     * how far after the failure (the current manual time) it is due, and advances time to it.
     */
    private static List<Duration> retryDelays(EngineHarness h, String x, int retries) throws InterruptedException {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < retries; i++) {
            Instant failedAt = h.time.now();
            Instant due = awaitNearTimer(h, x, "retry " + (i + 1));
            assertEquals(List.of(due), h.time.pending(), "only the retry timer is armed");
            Duration delay = Duration.between(failedAt, due);
            delays.add(delay);
            h.time.advance(delay);
        }
        return delays;
    }

    private static Instant awaitNearTimer(EngineHarness h, String x, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            Instant limit = h.time.now().plus(NEAR);
            for (Instant at : h.time.pending()) {
                if (at.isBefore(limit)) {
                    return at;
                }
            }
            DescribeExecutionResponse d = describe(h, x);
            if (d.status() != ExecutionStatus.RUNNING) {
                fail("waiting for the timer of " + what + ", the execution ended " + d.status() + " (" + d.error() + ": "
                        + d.cause() + "); history: " + h.types(x));
            }
            if (System.currentTimeMillis() > deadline) {
                fail("no timer armed for " + what + "; pending " + h.time.pending() + "; history: " + h.types(x));
            }
            Thread.sleep(5);
        }
    }

    private static Map<String, List<ExecutionStatusChange>> awaitChanges(List<ExecutionStatusChange> changes,
                                                                          Set<String> executions, int each)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            Map<String, List<ExecutionStatusChange>> byExecution = new ConcurrentHashMap<>();
            for (ExecutionStatusChange change : changes) {
                byExecution.computeIfAbsent(change.executionArn(), k -> new ArrayList<>()).add(change);
            }
            boolean complete = executions.stream()
                    .allMatch(arn -> byExecution.getOrDefault(arn, List.of()).size() >= each);
            if (complete) {
                // the listener runs on its own thread: give a duplicate or late notification a moment to show
                Thread.sleep(100);
                byExecution.clear();
                for (ExecutionStatusChange change : changes) {
                    byExecution.computeIfAbsent(change.executionArn(), k -> new ArrayList<>()).add(change);
                }
                return byExecution;
            }
            if (System.currentTimeMillis() > deadline) {
                fail("the listener heard only " + changes);
            }
            Thread.sleep(5);
        }
    }

    private static DescribeExecutionResponse describe(EngineHarness h, String x) {
        return h.sfn.describeExecution(b -> b.executionArn(x));
    }

    private static List<HistoryEvent> events(EngineHarness h, String x, String type) {
        return h.history(x).stream().filter(e -> e.typeAsString().equals(type)).toList();
    }

    private static HistoryEvent last(EngineHarness h, String x) {
        List<HistoryEvent> history = h.history(x);
        return history.get(history.size() - 1);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
