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

/**
 * Map and Parallel states in an engine killed with SIGKILL in the middle of them and started again on the same data
 * directory (in a child JVM, {@link EngineProcess}): iterations and branches that had finished keep their results from
 * the journal and do not run again; those that were waiting on a task token keep waiting, with the same token.
 */
class MapRestartTest {
    private static final String CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken";
    private static final String INVOKE = "arn:aws:states:::lambda:invoke";

    /** Items with {@code park} wait for a task token; the others are counted by the function "tally". */
    private static final String PARK_OR_TALLY = """
            "StartAt":"Kind","States":{
              "Kind":{"Type":"Choice","Choices":[{"Variable":"$.park","IsPresent":true,"Next":"Park"}],"Default":"Tally"},
              "Tally":{"Type":"Task","Resource":"%s","Parameters":{"FunctionName":"tally","Payload.$":"$"},
                "ResultSelector":{"n.$":"$.Payload.n"},"End":true},
              "Park":{"Type":"Task","Resource":"%s","End":true,
                "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}}}}""".formatted(INVOKE, CALLBACK);

    @Test
    void aMapKilledMidwayResumesWithoutRunningItsFinishedIterationsAgain() throws Exception {
        Path dir = EngineHarness.tempDir();
        Path invocations = dir.resolve("invocations.txt");
        String definition = """
                {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,"End":true,
                  "ItemProcessor":{%s}}}}""".formatted(PARK_OR_TALLY);
        String executionArn;
        try (ChildEngine first = ChildEngine.start(dir.resolve("data"), invocations);
             SfnClient sfn = EngineHarness.client(first.port)) {
            String machine = sfn.createStateMachine(b -> b.name("each").definition(definition).roleArn(EngineHarness.ROLE))
                    .stateMachineArn();
            executionArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("rollout").input("""
                    {"items":[{"n":0},{"n":1},{"n":2},{"n":3,"park":true},{"n":4}]}""")).executionArn();
            awaitEvents(sfn, executionArn, "TaskSubmitted", 1);
            first.kill();
        }
        assertEquals(List.of("tally {\"n\":0}", "tally {\"n\":1}", "tally {\"n\":2}"), tallies(invocations));
        String token = tokens(invocations).get(0);

        try (ChildEngine second = ChildEngine.start(dir.resolve("data"), invocations);
             SfnClient sfn = EngineHarness.client(second.port)) {
            assertEquals(ExecutionStatus.RUNNING, sfn.describeExecution(b -> b.executionArn(executionArn)).status());
            sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"n\":3}"));
            DescribeExecutionResponse done = awaitEnd(sfn, executionArn);

            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.cause());
            assertEquals(EngineHarness.json("[{\"n\":0},{\"n\":1},{\"n\":2},{\"n\":3},{\"n\":4}]"),
                    EngineHarness.json(done.output()));
            assertEquals(List.of("tally {\"n\":0}", "tally {\"n\":1}", "tally {\"n\":2}", "tally {\"n\":4}"),
                    tallies(invocations), "finished iterations are not run again");
            assertEquals(1, tokens(invocations).size(), "the parked iteration is not invoked again");
            List<HistoryEvent> history = history(sfn, executionArn);
            assertEquals(List.of(0, 1, 2, 3, 4), history.stream().filter(e -> e.typeAsString().equals("MapIterationStarted"))
                    .map(e -> e.mapIterationStartedEventDetails().index()).toList());
            for (int i = 0; i < history.size(); i++) {
                assertEquals(i + 1, history.get(i).id(), "event ids are consecutive across the restart");
            }
        }
    }

    @Test
    void everyIterationParkedWhenKilledKeepsItsTokenAfterTheRestart() throws Exception {
        Path dir = EngineHarness.tempDir();
        Path invocations = dir.resolve("invocations.txt");
        String definition = """
                {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
                  "ItemSelector":{"park":true,"n.$":"$$.Map.Item.Value"},"ItemProcessor":{%s}}}}""".formatted(PARK_OR_TALLY);
        String executionArn;
        try (ChildEngine first = ChildEngine.start(dir.resolve("data"), invocations);
             SfnClient sfn = EngineHarness.client(first.port)) {
            String machine = sfn.createStateMachine(b -> b.name("all-parked").definition(definition).roleArn(EngineHarness.ROLE))
                    .stateMachineArn();
            executionArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("p").input("[10,20,30]")).executionArn();
            awaitEvents(sfn, executionArn, "TaskSubmitted", 3);
            first.kill();
        }
        List<String> tokens = tokens(invocations);
        assertEquals(3, tokens.size());

        try (ChildEngine second = ChildEngine.start(dir.resolve("data"), invocations);
             SfnClient sfn = EngineHarness.client(second.port)) {
            for (int i = tokens.size() - 1; i >= 0; i--) {
                String token = tokens.get(i);
                int n = i;
                sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"answer\":" + n + "}"));
            }
            DescribeExecutionResponse done = awaitEnd(sfn, executionArn);
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.cause());
            assertEquals(3, EngineHarness.json(done.output()).size());
            assertEquals(3, tokens(invocations).size(), "no parked iteration is invoked again");
        }
    }

    @Test
    void aParallelStateKilledMidwayKeepsTheResultOfItsFinishedBranch() throws Exception {
        Path dir = EngineHarness.tempDir();
        Path invocations = dir.resolve("invocations.txt");
        String definition = """
                {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"First","States":{
                    "First":{"Type":"Task","Resource":"%1$s","Parameters":{"FunctionName":"tally","Payload":{"n":1}},
                      "ResultSelector":{"n.$":"$.Payload.n"},"Next":"Wait"},
                    "Wait":{"Type":"Task","Resource":"%2$s","End":true,
                      "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}}}}},
                  {"StartAt":"Only","States":{
                    "Only":{"Type":"Task","Resource":"%1$s","Parameters":{"FunctionName":"tally","Payload":{"n":2}},
                      "ResultSelector":{"n.$":"$.Payload.n"},"End":true}}}]}}}""".formatted(INVOKE, CALLBACK);
        String executionArn;
        try (ChildEngine first = ChildEngine.start(dir.resolve("data"), invocations);
             SfnClient sfn = EngineHarness.client(first.port)) {
            String machine = sfn.createStateMachine(b -> b.name("fan").definition(definition).roleArn(EngineHarness.ROLE))
                    .stateMachineArn();
            executionArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("f")).executionArn();
            awaitEvents(sfn, executionArn, "TaskSubmitted", 1);
            awaitEvents(sfn, executionArn, "TaskStateExited", 2);
            first.kill();
        }
        assertEquals(2, tallies(invocations).size());

        try (ChildEngine second = ChildEngine.start(dir.resolve("data"), invocations);
             SfnClient sfn = EngineHarness.client(second.port)) {
            String token = tokens(invocations).get(0);
            sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\":true}"));
            DescribeExecutionResponse done = awaitEnd(sfn, executionArn);
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.cause());
            assertEquals(EngineHarness.json("[{\"approved\":true},{\"n\":2}]"), EngineHarness.json(done.output()));
            assertEquals(2, tallies(invocations).size(), "the finished branch is not run again");
        }
    }

    private static List<String> tallies(Path invocations) throws Exception {
        return Files.readAllLines(invocations).stream().filter(line -> line.startsWith("tally ")).toList();
    }

    private static List<String> tokens(Path invocations) throws Exception {
        return Files.readAllLines(invocations).stream().filter(line -> !line.startsWith("tally ")).toList();
    }
}
