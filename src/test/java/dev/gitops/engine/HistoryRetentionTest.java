package dev.gitops.engine;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closed executions leave the startup path: a restart lists them from each state machine's index without reading their
 * journals, and forgets those closed longer ago than the retention (90 days, as Step Functions).
 */
class HistoryRetentionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String DONE = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":{\"x\":1},\"End\":true}}}";

    @Test
    void aRestartListsClosedExecutionsFromTheIndexWithoutReadingTheirJournals() throws Exception {
        Path dir = EngineHarness.tempDir();
        String x;
        try (EngineHarness first = EngineHarness.manualAt(dir, T0, Map.of())) {
            x = first.start(first.machine("done", DONE), "one", "{}");
            assertEquals(ExecutionStatus.SUCCEEDED, first.awaitEnd(x).status());
        }
        assertTrue(Files.readString(dir.resolve("executions/done/closed.index")).contains("\"one\""));
        // a journal the restart would choke on, were it read: the index alone lists the execution
        Files.writeString(dir.resolve("executions/done/one.jsonl"), "not a journal\n");
        try (EngineHarness second = EngineHarness.manualAt(dir, T0.plusSeconds(60), Map.of())) {
            var listed = second.sfn.listExecutions(b -> b.stateMachineArn(x.replace(":execution:", ":stateMachine:")
                    .replace(":one", ""))).executions();
            assertEquals(1, listed.size());
            assertEquals(ExecutionStatus.SUCCEEDED, listed.get(0).status(), "listed, with its status, from the index");
        }
    }

    @Test
    void executionsClosedLongerAgoThanTheRetentionAreForgottenWithTheirJournals() throws Exception {
        Path dir = EngineHarness.tempDir();
        String old;
        String recent;
        try (EngineHarness first = EngineHarness.manualAt(dir, T0, Map.of())) {
            String machine = first.machine("done", DONE);
            old = first.start(machine, "old", "{}");
            first.awaitEnd(old);
        }
        try (EngineHarness second = EngineHarness.manualAt(dir, T0.plus(Duration.ofDays(60)), Map.of())) {
            recent = second.start(second.sfn.listStateMachines().stateMachines().get(0).stateMachineArn(), "recent", "{}");
            second.awaitEnd(recent);
        }
        try (EngineHarness third = EngineHarness.manualAt(dir, T0.plus(Duration.ofDays(91)), Map.of())) {
            assertThrows(ExecutionDoesNotExistException.class, () -> third.sfn.describeExecution(b -> b.executionArn(old)));
            assertEquals(ExecutionStatus.SUCCEEDED, third.sfn.describeExecution(b -> b.executionArn(recent)).status());
            assertFalse(Files.exists(dir.resolve("executions/done/old.jsonl")), "the old journal is deleted");
            assertFalse(Files.readString(dir.resolve("executions/done/closed.index")).contains("\"old\""));

            assertEquals(1, third.engine.forgetClosedBefore(T0.plus(Duration.ofDays(61))), "forgotten while running, too");
            assertThrows(ExecutionDoesNotExistException.class, () -> third.sfn.describeExecution(b -> b.executionArn(recent)));
        }
    }
}
