package dev.gitops.engine;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Acceptance test for {@link ExecutionListener}: every execution is heard RUNNING, then once with its end. */
class ExecutionListenerTest {
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
                DescribeExecutionResponse d = h.describe(e.getKey());
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
}
