package dev.gitops.engine;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Acceptance tests for the two ways an execution ends from outside its states: StopExecution and the execution-level
 * TimeoutSeconds, with AWS Step Functions' semantics. Time only moves when a test advances the {@link ManualTime}.
 */
class StopAndTimeoutTest {
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
            HistoryEvent aborted = h.lastEvent(x);
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
            assertEquals(ExecutionStatus.ABORTED, h.describe(x).status());
        }
    }

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
            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status());
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
}
