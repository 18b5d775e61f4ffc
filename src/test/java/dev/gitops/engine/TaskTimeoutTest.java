package dev.gitops.engine;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gitops.engine.TaskFixtures.CALLBACK;
import static dev.gitops.engine.TaskFixtures.callbackMachine;
import static dev.gitops.engine.TaskFixtures.parking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Acceptance tests for task timeouts and heartbeats (TimeoutSeconds, TimeoutSecondsPath, HeartbeatSeconds,
 * SendTaskHeartbeat) with AWS Step Functions' semantics. Time only moves when a test advances the {@link ManualTime}.
 */
class TaskTimeoutTest {
    @Test
    void taskTimeoutSecondsTimesOutOnlyOnceTheTimeoutHasPassed() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), tokens))) {
            String x = h.start(h.machine("task-timeout", callbackMachine("\"TimeoutSeconds\":10,")), "one", "{}");
            Instant started = h.time.now();
            h.awaitEvent(x, "TaskSubmitted");
            assertEquals(List.of(started.plusSeconds(10)), h.time.pending());
            assertEquals(10L, h.events(x, "TaskScheduled").get(0).taskScheduledEventDetails().timeoutInSeconds());

            h.time.advance(Duration.ofSeconds(9));
            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status());
            assertFalse(h.types(x).contains("TaskTimedOut"));
            assertEquals(List.of(started.plusSeconds(10)), h.time.pending());

            h.time.advance(Duration.ofSeconds(1));
            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.Timeout", d.error());
            List<String> types = h.types(x);
            assertEquals(List.of("TaskSubmitted", "TaskTimedOut", "ExecutionFailed"), types.subList(types.size() - 3, types.size()));
            assertEquals("States.Timeout", h.events(x, "TaskTimedOut").get(0).taskTimedOutEventDetails().error());
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
            assertEquals(30L, h.events(x, "TaskScheduled").get(0).taskScheduledEventDetails().timeoutInSeconds());

            h.time.advance(Duration.ofSeconds(29));
            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status());

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
            assertEquals(5L, h.events(x, "TaskScheduled").get(0).taskScheduledEventDetails().heartbeatInSeconds());

            h.time.advance(Duration.ofSeconds(4));
            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status());

            h.time.advance(Duration.ofSeconds(1));
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.HeartbeatTimeout", d.error());
            assertEquals("States.HeartbeatTimeout",
                    h.events(x, "TaskTimedOut").get(0).taskTimedOutEventDetails().error());
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
            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status(), "8 s after the start, 4 s after the heartbeat");
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
            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status());

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
            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status());
        }
    }
}
