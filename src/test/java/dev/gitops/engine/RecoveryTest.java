package dev.gitops.engine;

import dev.gitops.engine.data.Json;
import dev.gitops.engine.tasks.LambdaTaskHandler;
import dev.gitops.engine.tasks.LocalFunction;
import dev.gitops.engine.tasks.TaskHandlers;
import dev.gitops.engine.time.SystemTime;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regressions found in review: recovery from damaged journals, wall-clock timers, races at the edges of a run. */
class RecoveryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String PARKED = """
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
              "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},"ResultPath":"$.answer","End":true}}}""";

    @Test
    void aJournalEndingInAPartlyWrittenBatchIsCutBackAndTheExecutionCarriesOn() throws Exception {
        Path dir = EngineHarness.tempDir();
        List<String> tokens = new CopyOnWriteArrayList<>();
        Map<String, LocalFunction> park = Map.of("park", payload -> {
            tokens.add(payload.get("token").asText());
            return Json.object();
        });
        String x;
        try (EngineHarness first = EngineHarness.manualAt(dir, T0, park)) {
            x = first.start(first.machine("parked", PARKED), "one", "{\"n\":1}");
            first.awaitEvent(x, "TaskSubmitted");
        }
        Path journal = dir.resolve("executions/parked/one.jsonl");
        Files.writeString(journal, "{\"timestamp\":1767225600.000,\"type\":\"TaskSucceeded\",\"id\":6,\"previousEventId\":5}\n{\"torn",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (EngineHarness second = EngineHarness.manualAt(dir, T0.plusSeconds(60), park)) {
            assertEquals(ExecutionStatus.RUNNING, second.sfn.describeExecution(b -> b.executionArn(x)).status());
            second.sfn.sendTaskSuccess(b -> b.taskToken(tokens.get(0)).output("{\"ok\":true}"));
            DescribeExecutionResponse done = second.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.cause());
            assertEquals(Json.parseTrusted("{\"n\":1,\"answer\":{\"ok\":true}}"), Json.parseTrusted(done.output()));
            List<HistoryEvent> history = second.history(x);
            for (int i = 0; i < history.size(); i++) {
                assertEquals(i + 1, history.get(i).id(), "ids stay consecutive after the torn batch is cut off");
            }
            assertEquals(1, tokens.size(), "the callback task was not invoked again");
        }
    }

    @Test
    void aStateMachineLeftDeletingByAKillIsDeletedWhenTheEngineComesBack() throws Exception {
        Path dir = EngineHarness.tempDir();
        String arn;
        try (EngineHarness first = EngineHarness.manualAt(dir, T0, Map.of())) {
            arn = first.machine("doomed", "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}");
        }
        Path record = dir.resolve("state-machines/doomed.json");
        Files.writeString(record, Files.readString(record).replace("\"ACTIVE\"", "\"DELETING\""));

        try (EngineHarness second = EngineHarness.manualAt(dir, T0, Map.of())) {
            assertThrows(StateMachineDoesNotExistException.class,
                    () -> second.sfn.describeStateMachine(b -> b.stateMachineArn(arn)));
        }
    }

    @Test
    void taskTimeoutsAndHeartbeatsFireOnTheWallClock() throws Exception {
        LambdaTaskHandler lambda = new LambdaTaskHandler(Executors.newCachedThreadPool(), "us-east-1", "123456789012");
        lambda.register("park", payload -> Json.object());
        try (SystemTime time = new SystemTime();
             Engine engine = new Engine(EngineConfig.of(EngineHarness.tempDir()), time, new TaskHandlers().register(lambda),
                     new Random(1))) {
            engine.resume();
            String timeout = engine.createStateMachine("timeout", PARKED.replace("\"Ask\":{\"Type\":\"Task\",",
                    "\"Ask\":{\"Type\":\"Task\",\"TimeoutSeconds\":1,"), EngineHarness.ROLE, null).arn();
            String heartbeat = engine.createStateMachine("heartbeat", PARKED.replace("\"Ask\":{\"Type\":\"Task\",",
                    "\"Ask\":{\"Type\":\"Task\",\"TimeoutSeconds\":60,\"HeartbeatSeconds\":1,"), EngineHarness.ROLE, null).arn();
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                runs.add(engine.startExecution(timeout, "t" + i, "{}").execution().arn());
                runs.add(engine.startExecution(heartbeat, "h" + i, "{}").execution().arn());
            }
            long deadline = System.currentTimeMillis() + 10_000;
            for (String run : runs) {
                while (engine.describeExecution(run).status() == dev.gitops.engine.runtime.ExecutionStatus.RUNNING) {
                    assertTrue(System.currentTimeMillis() < deadline, run + " never timed out");
                    Thread.sleep(20);
                }
                String error = engine.describeExecution(run).error();
                assertEquals(run.contains(":t") ? "States.Timeout" : "States.HeartbeatTimeout", error, run);
            }
        }
    }

    @Test
    void stopExecutionRacingStartExecutionNeverBreaksEither() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String machine = h.machine("race", "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}}}");
            for (int i = 0; i < 200; i++) {
                String name = "run-" + i;
                String arn = "arn:aws:states:us-east-1:123456789012:execution:race:" + name;
                CompletableFuture<Void> stopper = CompletableFuture.runAsync(() -> {
                    for (int tries = 0; tries < 50; tries++) {
                        try {
                            h.sfn.stopExecution(b -> b.executionArn(arn));
                            return;
                        } catch (SfnException e) {
                            assertEquals(400, e.statusCode(), e.getMessage());
                        }
                    }
                });
                h.start(machine, name, "{}");
                stopper.get();
                List<String> types = h.types(arn);
                assertEquals("ExecutionStarted", types.get(0), types.toString());
            }
        }
    }
}
