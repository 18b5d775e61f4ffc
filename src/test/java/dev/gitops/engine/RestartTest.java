package dev.gitops.engine;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.gitops.engine.ChildExecutions.awaitEnd;
import static dev.gitops.engine.ChildExecutions.awaitEvents;
import static dev.gitops.engine.ChildExecutions.history;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine in its own process, killed with SIGKILL and started again on the same data directory. */
class RestartTest {
    private static final String CALLBACK = """
            {"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Parameters":{"stack.$":"$.stack","env":"prd"},"Next":"WaitForApproval"},
              "WaitForApproval":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                "ResultPath":"$.decision","Next":"Apply"},
              "Apply":{"Type":"Pass","Parameters":{"applied.$":"$.stack","by.$":"$.decision.approver"},"Next":"Done"},
              "Done":{"Type":"Succeed"}}}""";

    @Test
    void aWaitingExecutionSurvivesKillDashNineAndItsTaskIsNotInvokedAgain() throws Exception {
        Path dir = EngineHarness.tempDir();
        Path invocations = dir.resolve("invocations.txt");
        String executionArn;
        try (ChildEngine first = ChildEngine.start(dir.resolve("data"), invocations);
             SfnClient sfn = EngineHarness.client(first.port)) {
            String machine = sfn.createStateMachine(b -> b.name("deploy").definition(CALLBACK).roleArn(EngineHarness.ROLE))
                    .stateMachineArn();
            executionArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("push-1").input("{\"stack\":\"network\"}"))
                    .executionArn();
            awaitLines(invocations, 1);
            awaitEvents(sfn, executionArn, "TaskSubmitted", 1);
            first.kill();
        }
        String token = Files.readAllLines(invocations).get(0);

        try (ChildEngine second = ChildEngine.start(dir.resolve("data"), invocations);
             SfnClient sfn = EngineHarness.client(second.port)) {
            assertEquals(ExecutionStatus.RUNNING, sfn.describeExecution(b -> b.executionArn(executionArn)).status());
            sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\":true,\"approver\":\"ann\"}"));
            DescribeExecutionResponse done = awaitEnd(sfn, executionArn);

            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.cause());
            assertEquals(EngineHarness.json("{\"applied\":\"network\",\"by\":\"ann\"}"), EngineHarness.json(done.output()));
            List<HistoryEvent> history = history(sfn, executionArn);
            assertEquals(List.of("ExecutionStarted", "PassStateEntered", "PassStateExited", "TaskStateEntered",
                    "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "PassStateEntered",
                    "PassStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"),
                    history.stream().map(HistoryEvent::typeAsString).toList());
            for (int i = 0; i < history.size(); i++) {
                assertEquals(i + 1, history.get(i).id(), "event ids are consecutive across the restart");
            }
            assertEquals(1, Files.readAllLines(invocations).size(), "the waiting task was invoked once");
        }
    }

    @Test
    void anInterruptedSyncTaskFailsAfterARestartInsteadOfRunningTwice() throws Exception {
        Path dir = EngineHarness.tempDir();
        String definition = """
                {"StartAt":"Apply","States":{
                  "Apply":{"Type":"Task","Resource":"arn:aws:states:::testjob:run.sync","Next":"Done",
                    "Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.error","Next":"Interrupted"}]},
                  "Interrupted":{"Type":"Fail","Error":"Interrupted","CausePath":"$.error.Cause"},
                  "Done":{"Type":"Succeed"}}}""";
        String executionArn;
        try (ChildEngine first = ChildEngine.start(dir.resolve("data"), dir.resolve("calls.txt"));
             SfnClient sfn = EngineHarness.client(first.port)) {
            String machine = sfn.createStateMachine(b -> b.name("apply").definition(definition).roleArn(EngineHarness.ROLE))
                    .stateMachineArn();
            executionArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("a")).executionArn();
            awaitEvents(sfn, executionArn, "TaskStarted", 1);
            first.kill();
        }
        try (ChildEngine second = ChildEngine.start(dir.resolve("data"), dir.resolve("calls.txt"));
             SfnClient sfn = EngineHarness.client(second.port)) {
            DescribeExecutionResponse done = awaitEnd(sfn, executionArn);
            assertEquals(ExecutionStatus.FAILED, done.status());
            assertEquals("Interrupted", done.error());
            assertTrue(done.cause().contains("interrupted by an engine restart"), done.cause());
            long started = history(sfn, executionArn).stream().filter(e -> e.typeAsString().equals("TaskStarted")).count();
            assertEquals(1, started, "the .sync task is not started again");
        }
    }

    @Test
    void aRequestResponseTaskCutOffByTheKillIsCalledAgainAfterItsFunctionIsRegistered() throws Exception {
        Path dir = EngineHarness.tempDir();
        Path invocations = dir.resolve("calls.txt");
        String definition = """
                {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                  "Parameters":{"FunctionName":"slow","Payload":{}},"ResultSelector":{"done.$":"$.Payload.done"},"End":true}}}""";
        String executionArn;
        try (ChildEngine first = ChildEngine.start(dir.resolve("data"), invocations);
             SfnClient sfn = EngineHarness.client(first.port)) {
            String machine = sfn.createStateMachine(b -> b.name("call").definition(definition).roleArn(EngineHarness.ROLE))
                    .stateMachineArn();
            executionArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("c")).executionArn();
            awaitLines(invocations, 1);
            first.kill();
        }
        try (ChildEngine second = ChildEngine.start(dir.resolve("data"), invocations);
             SfnClient sfn = EngineHarness.client(second.port)) {
            DescribeExecutionResponse done = awaitEnd(sfn, executionArn);
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.error() + ": " + done.cause());
            assertEquals(EngineHarness.json("{\"done\":true}"), EngineHarness.json(done.output()));
            assertEquals(2, Files.readAllLines(invocations).size(), "called again after the restart (at least once)");
        }
    }

    @Test
    void aWaitStateKeepsItsDeadlineAcrossARestart() throws Exception {
        Path dir = EngineHarness.tempDir();
        String definition = """
                {"StartAt":"Pause","States":{"Pause":{"Type":"Wait","Seconds":3,"Next":"Done"},"Done":{"Type":"Succeed"}}}""";
        String executionArn;
        long started = System.currentTimeMillis();
        try (ChildEngine first = ChildEngine.start(dir.resolve("data"), dir.resolve("calls.txt"));
             SfnClient sfn = EngineHarness.client(first.port)) {
            String machine = sfn.createStateMachine(b -> b.name("pause").definition(definition).roleArn(EngineHarness.ROLE))
                    .stateMachineArn();
            executionArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("w")).executionArn();
            awaitEvents(sfn, executionArn, "WaitStateEntered", 1);
            first.kill();
        }
        try (ChildEngine second = ChildEngine.start(dir.resolve("data"), dir.resolve("calls.txt"));
             SfnClient sfn = EngineHarness.client(second.port)) {
            DescribeExecutionResponse done = awaitEnd(sfn, executionArn);
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            long waited = done.stopDate().toEpochMilli() - done.startDate().toEpochMilli();
            assertTrue(waited >= 3000 && waited < 3000 + (System.currentTimeMillis() - started), "waited " + waited + " ms");
        }
    }

    private static void awaitLines(Path file, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!Files.exists(file) || Files.readAllLines(file).size() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no invocation recorded in " + file);
            }
            Thread.sleep(10);
        }
    }
}
