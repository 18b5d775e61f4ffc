package dev.gitops.engine;

import dev.gitops.engine.data.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gitops.engine.EngineHarness.json;
import static dev.gitops.engine.TaskFixtures.CALLBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Map iterations and Parallel branches that wait on something outside the engine: task tokens answered through
 * SendTaskSuccess and SendTaskFailure, {@code .sync} jobs, and what StopExecution and the execution's TimeoutSeconds do
 * to them (abort every one, kill their tokens, call their jobs off). Time moves only when a test advances it.
 */
class ForkStopAndCallbackTest {
    /** Parks each item's iteration on a task token: the function "park" gets {"item": ..., "token": ...}. */
    private static final String PARKING_MAP = """
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"Park","States":{
              "Park":{"Type":"Task","Resource":"%s","End":true,
                "Parameters":{"FunctionName":"park","Payload":{"item.$":"$","token.$":"$$.Task.Token"}}}}}}}}"""
            .formatted(CALLBACK);

    /** The token each item's iteration was given, by item. */
    private static Map<String, String> parked(Map<String, String> tokens, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (tokens.size() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("only " + tokens.size() + " iterations parked");
            }
            Thread.sleep(5);
        }
        return tokens;
    }

    private static EngineHarness parking(Map<String, String> tokens, Jobs jobs) {
        EngineHarness h = jobs == null ? EngineHarness.manual() : EngineHarness.manual(jobs);
        return h.function("park", payload -> {
            tokens.put(payload.get("item").asText(), payload.get("token").asText());
            return Json.object().put("parked", true);
        });
    }

    @Test
    void taskTokensOfMapIterationsAreAnsweredInAnyOrderAndTheOutputKeepsItemOrder() throws Exception {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        try (EngineHarness h = parking(tokens, null)) {
            String x = h.start(h.machine("tokens", PARKING_MAP), "one", "[\"a\",\"b\",\"c\"]");
            parked(tokens, 3);

            for (String item : List.of("c", "a", "b")) {
                h.sfn.sendTaskSuccess(b -> b.taskToken(tokens.get(item)).output("{\"approved\":\"" + item + "\"}"));
            }

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("[{\"approved\":\"a\"},{\"approved\":\"b\"},{\"approved\":\"c\"}]"), json(d.output()));
            assertThrows(TaskTimedOutException.class,
                    () -> h.sfn.sendTaskSuccess(b -> b.taskToken(tokens.get("a")).output("{}")), "a token works once");
        }
    }

    @Test
    void sendTaskFailureForOneIterationFailsTheMapWithThatErrorAndKillsTheOtherTokens() throws Exception {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        try (EngineHarness h = parking(tokens, null)) {
            String x = h.start(h.machine("token-failure", PARKING_MAP), "one", "[\"a\",\"b\"]");
            parked(tokens, 2);
            h.awaitEvent(x, "TaskSubmitted");

            h.sfn.sendTaskFailure(b -> b.taskToken(tokens.get("b")).error("Review.Rejected").cause("b was rejected"));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("Review.Rejected", d.error());
            assertEquals("b was rejected", d.cause());
            assertEquals(1, h.events(x, "MapIterationAborted").size());
            assertThrows(TaskTimedOutException.class,
                    () -> h.sfn.sendTaskSuccess(b -> b.taskToken(tokens.get("a")).output("{}")));
        }
    }

    @Test
    void stopExecutionDuringAMapAbortsEveryIterationItsTokensAndItsSyncJobs() throws Exception {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        Jobs jobs = new Jobs();
        try (EngineHarness h = parking(tokens, jobs)) {
            String x = h.start(h.machine("stop", """
                    {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemsPath":"$.items",
                      "ItemProcessor":{"StartAt":"Kind","States":{
                        "Kind":{"Type":"Choice","Choices":[{"Variable":"$","StringEquals":"build","Next":"Build"}],"Default":"Park"},
                        "Build":{"Type":"Task","Resource":"%s","End":true},
                        "Park":{"Type":"Task","Resource":"%s","End":true,
                          "Parameters":{"FunctionName":"park","Payload":{"item.$":"$","token.$":"$$.Task.Token"}}}}}}}}"""
                    .formatted(Jobs.RUN_SYNC, CALLBACK)), "one", "{\"items\":[\"a\",\"build\",\"b\"]}");
            parked(tokens, 2);
            Jobs.Job build = jobs.next();
            h.awaitEvent(x, "TaskSubmitted");

            h.sfn.stopExecution(b -> b.executionArn(x).error("Operator.Cancel").cause("stop the rollout"));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.ABORTED, d.status());
            assertEquals("Operator.Cancel", d.error());
            List<String> types = h.types(x);
            assertEquals(List.of("TaskStateAborted", "MapIterationAborted", "TaskStateAborted", "MapIterationAborted",
                    "TaskStateAborted", "MapIterationAborted", "MapStateAborted", "ExecutionAborted"),
                    types.subList(types.size() - 8, types.size()));
            assertTrue(build.cancelled().isDone(), "the .sync job inside the iteration is called off");
            assertEquals(0, jobs.running());
            for (String token : tokens.values()) {
                assertThrows(TaskTimedOutException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")));
            }
            assertEquals(List.of(), h.time.pending(), "no timer stays armed");
            assertEquals(types, h.types(x), "nothing happens after the stop");
        }
    }

    @Test
    void stopExecutionDuringAParallelStateAbortsEveryBranch() throws Exception {
        Jobs jobs = new Jobs();
        try (EngineHarness h = EngineHarness.manual(jobs)) {
            String x = h.start(h.machine("stop-parallel", """
                    {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
                        {"StartAt":"Build","States":{"Build":{"Type":"Task","Resource":"%s","End":true}}},
                        {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":600,"End":true}}}]}}}"""
                    .formatted(Jobs.RUN_SYNC)), "one", "{}");
            Jobs.Job build = jobs.next();
            h.time.awaitPending(1);

            h.sfn.stopExecution(b -> b.executionArn(x));

            assertEquals(ExecutionStatus.ABORTED, h.awaitEnd(x).status());
            List<String> types = h.types(x);
            assertEquals(List.of("ParallelStateAborted", "ExecutionAborted"), types.subList(types.size() - 2, types.size()));
            assertTrue(types.contains("TaskStateAborted") && types.contains("WaitStateAborted"), types::toString);
            assertTrue(build.cancelled().isDone());
            assertEquals(List.of(), h.time.pending());
        }
    }

    @Test
    void theExecutionTimeoutAbortsTheIterationsOfARunningMap() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("timeout", """
                    {"TimeoutSeconds":30,"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"MaxConcurrency":2,
                      "ItemProcessor":{"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":3600,"End":true}}}}}}"""),
                    "one", "[1,2,3]");
            h.time.awaitPending(3);

            h.time.advance(Duration.ofSeconds(30));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.TIMED_OUT, d.status());
            List<String> types = h.types(x);
            assertEquals(List.of("WaitStateAborted", "MapIterationAborted", "WaitStateAborted", "MapIterationAborted",
                    "MapStateAborted", "ExecutionTimedOut"), types.subList(types.size() - 6, types.size()));
            assertEquals(2, h.events(x, "MapIterationStarted").size(), "the third never started");
            h.time.advance(Duration.ofSeconds(3600));
            assertEquals(types, h.types(x), "no iteration moves after the timeout");
        }
    }

    @Test
    void heartbeatsReachATaskInsideAnIteration() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        try (EngineHarness h = EngineHarness.manual().function("park", TaskFixtures.parking(calls, tokens))) {
            String x = h.start(h.machine("heartbeat", """
                    {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"Park","States":{
                      "Park":{"Type":"Task","Resource":"%s","HeartbeatSeconds":10,"TimeoutSeconds":100,"End":true,
                        "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}}}}}}}}""".formatted(CALLBACK)),
                    "one", "[1]");
            h.awaitEvent(x, "TaskSubmitted");
            h.time.advance(Duration.ofSeconds(8));
            h.sfn.sendTaskHeartbeat(b -> b.taskToken(tokens.get(0)));
            h.time.advance(Duration.ofSeconds(8));
            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status(), "the heartbeat kept the task alive");

            h.time.advance(Duration.ofSeconds(2));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.HeartbeatTimeout", d.error());
            assertFalse(h.types(x).contains("MapIterationAborted"));
        }
    }
}
