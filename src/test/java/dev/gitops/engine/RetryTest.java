package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.tasks.FunctionError;
import dev.gitops.engine.tasks.LocalFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.gitops.engine.EngineHarness.json;
import static dev.gitops.engine.TaskFixtures.INVOKE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Acceptance tests for Retry with AWS Step Functions' semantics: intervals, backoff, MaxDelaySeconds, jitter, attempt
 * counts per retrier and the fall-through to Catch. Everything goes through the AWS SDK client; time only moves when a
 * test advances the {@link ManualTime}.
 */
class RetryTest {
    /** Timers closer than this are retries, task timeouts or waits a test armed; a task's default timeout is farther. */
    private static final Duration NEAR = Duration.ofDays(30);

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
            for (HistoryEvent failed : h.events(x, "TaskFailed")) {
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
            assertEquals(1, h.events(x, "TaskFailed").size());
            assertEquals(1, h.events(x, "TaskScheduled").size());
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
            DescribeExecutionResponse d = h.describe(x);
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
}
