package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.tasks.FunctionError;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gitops.engine.EngineHarness.json;
import static dev.gitops.engine.TaskFixtures.CALLBACK;
import static dev.gitops.engine.TaskFixtures.INVOKE;
import static dev.gitops.engine.TaskFixtures.parking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests of the Parallel state with AWS Step Functions' semantics, through the AWS SDK: branches on the same
 * input, the array of their outputs in branch order, the state's own paths, Retry and Catch, a failing branch stopping
 * the others, and the history events of the state and of the states inside its branches.
 */
class ParallelStateTest {
    @Test
    void theOutputIsTheArrayOfBranchOutputsInBranchOrderWhateverOrderTheyFinishIn() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("order", """
                    {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,
                      "InputPath":"$.order","Parameters":{"id.$":"$.id","at.$":"$$.State.Name"},
                      "Branches":[
                        {"StartAt":"Slow","States":{"Slow":{"Type":"Wait","Seconds":10,"Next":"Tag"},
                                                   "Tag":{"Type":"Pass","Result":"slow","ResultPath":"$.branch","End":true}}},
                        {"StartAt":"Fast","States":{"Fast":{"Type":"Pass","Result":"fast","ResultPath":"$.branch","End":true}}}]}}}"""),
                    "one", "{\"order\":{\"id\":7,\"other\":true}}");
            h.awaitEvent(x, "WaitStateEntered");
            h.time.awaitPending(1);
            h.awaitEvent(x, "PassStateExited");
            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status(), "the Parallel state waits for every branch");

            h.time.advance(Duration.ofSeconds(10));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("""
                    [{"id":7,"at":"Fan","branch":"slow"},{"id":7,"at":"Fan","branch":"fast"}]"""), json(d.output()));
        }
    }

    @Test
    void resultSelectorResultPathAndOutputPathApplyToTheArrayOfOutputs() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("paths", """
                    {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,
                      "ResultSelector":{"first.$":"$[0]","count.$":"States.ArrayLength($)"},
                      "ResultPath":"$.fan","OutputPath":"$.fan",
                      "Branches":[
                        {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
                        {"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b","End":true}}}]}}}"""),
                    "one", "{\"keep\":1}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("{\"first\":\"a\",\"count\":2}"), json(d.output()));
        }
    }

    @Test
    void historyHasTheParallelEventsAroundTheEventsOfTheBranchStates() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("history", """
                    {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
                        {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                        {"StartAt":"B","States":{"B":{"Type":"Succeed"}}}]}}}"""), "one", "{}");
            assertEquals(ExecutionStatus.SUCCEEDED, h.awaitEnd(x).status());

            List<String> types = h.types(x);
            assertEquals(List.of("ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted"), types.subList(0, 3));
            assertEquals(List.of("ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"),
                    types.subList(types.size() - 3, types.size()));
            assertEquals(List.of("PassStateEntered", "PassStateExited", "SucceedStateEntered", "SucceedStateExited"),
                    types.subList(3, types.size() - 3).stream().sorted().toList());
            List<HistoryEvent> history = h.history(x);
            for (int i = 0; i < history.size(); i++) {
                assertEquals(i + 1, history.get(i).id(), "event ids are consecutive across branches");
                assertTrue(history.get(i).previousEventId() < history.get(i).id());
            }
            for (JsonNode event : h.engine.describeExecution(x).history()) {
                event.fieldNames().forEachRemaining(field -> assertFalse(field.startsWith("@"),
                        "the engine's own field " + field + " stays out of the history: " + event));
            }
        }
    }

    @Test
    void aFailingBranchFailsTheStateWithItsErrorAndStopsTheOtherBranches() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), tokens))) {
            String x = h.start(h.machine("fail", """
                    {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
                        {"StartAt":"Park","States":{"Park":{"Type":"Task","Resource":"%s","End":true,
                          "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}}}}},
                        {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":5,"Next":"Boom"},
                          "Boom":{"Type":"Fail","Error":"Branch.Broke","Cause":"branch two broke"}}}]}}}""".formatted(CALLBACK)),
                    "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");
            h.time.awaitPending(1);

            h.time.advance(Duration.ofSeconds(5));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("Branch.Broke", d.error());
            assertEquals("branch two broke", d.cause());
            List<String> types = h.types(x);
            assertEquals(List.of("FailStateEntered", "TaskStateAborted", "ParallelStateFailed", "ExecutionFailed"),
                    types.subList(types.size() - 4, types.size()));
            assertThrows(TaskTimedOutException.class,
                    () -> h.sfn.sendTaskSuccess(b -> b.taskToken(tokens.get(0)).output("{}")),
                    "the stopped branch's token is dead");
        }
    }

    @Test
    void aFailingBranchIsCaughtByTheCatchOfTheParallelState() {
        try (EngineHarness h = EngineHarness.manual().function("boom", payload -> {
            throw new FunctionError("Deploy.Failed", "the deploy broke");
        })) {
            String x = h.start(h.machine("catch", """
                    {"StartAt":"Fan","States":{
                      "Fan":{"Type":"Parallel","Next":"Done",
                        "Catch":[{"ErrorEquals":["Deploy.Failed"],"ResultPath":"$.error","Next":"Recovered"}],
                        "Branches":[
                          {"StartAt":"Ok","States":{"Ok":{"Type":"Pass","End":true}}},
                          {"StartAt":"Deploy","States":{"Deploy":{"Type":"Task","Resource":"%s",
                            "Parameters":{"FunctionName":"boom"},"End":true}}}]},
                      "Recovered":{"Type":"Pass","End":true},
                      "Done":{"Type":"Succeed"}}}""".formatted(INVOKE)), "one", "{\"stack\":\"network\"}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            JsonNode output = json(d.output());
            assertEquals("network", output.get("stack").asText());
            assertEquals("Deploy.Failed", output.get("error").get("Error").asText());
            assertTrue(output.get("error").get("Cause").asText().contains("the deploy broke"));
            List<String> types = h.types(x);
            int failed = types.indexOf("ParallelStateFailed");
            assertEquals(List.of("ParallelStateFailed", "ParallelStateExited", "PassStateEntered"),
                    types.subList(failed, failed + 3));
            assertFalse(types.contains("ParallelStateSucceeded"));
            assertEquals("Recovered", h.events(x, "PassStateEntered").get(h.events(x, "PassStateEntered").size() - 1)
                    .stateEnteredEventDetails().name());
        }
    }

    @Test
    void retryRunsEveryBranchAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (EngineHarness h = EngineHarness.manual().function("flaky", payload -> {
            if (calls.incrementAndGet() == 1) {
                throw new FunctionError("Flaky", "first call fails");
            }
            return Json.object().put("call", calls.get());
        })) {
            String x = h.start(h.machine("retry", """
                    {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,
                      "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":3,"MaxAttempts":1}],
                      "Branches":[
                        {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"%s",
                          "Parameters":{"FunctionName":"flaky"},"OutputPath":"$.Payload","End":true}}},
                        {"StartAt":"Mark","States":{"Mark":{"Type":"Pass","Result":"mark","End":true}}}]}}}""".formatted(INVOKE)),
                    "one", "{}");
            h.awaitEvent(x, "TaskFailed");
            h.time.awaitPending(1);
            assertEquals(1, h.events(x, "ParallelStateStarted").size());

            h.time.advance(Duration.ofSeconds(3));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("[{\"call\":2},\"mark\"]"), json(d.output()));
            assertEquals(2, h.events(x, "ParallelStateStarted").size(), "the whole state ran again");
            assertEquals(2, h.events(x, "PassStateEntered").size(), "both branches ran again");
            assertFalse(h.types(x).contains("ParallelStateFailed"), "a retried state records no failure");
        }
    }

    @Test
    void succeedEndsItsBranchAndAChoiceInsideABranchRoutesWithinIt() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("choice", """
                    {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","Next":"After","Branches":[
                        {"StartAt":"Route","States":{
                          "Route":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,"Next":"Stop"}],
                                   "Default":"Other"},
                          "Stop":{"Type":"Succeed","OutputPath":"$.go"},
                          "Other":{"Type":"Pass","Result":"other","End":true}}}]},
                      "After":{"Type":"Pass","End":true}}}"""), "one", "{\"go\":true}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("[true]"), json(d.output()));
            assertTrue(h.types(x).contains("SucceedStateExited"));
            assertNull(h.history(x).stream().filter(e -> "Other".equals(
                    e.stateEnteredEventDetails() == null ? null : e.stateEnteredEventDetails().name())).findFirst().orElse(null));
        }
    }

    @Test
    void aMapInsideAParallelBranchRunsAndNestsItsOutput() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("nested", """
                    {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
                        {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.stacks","End":true,
                          "ItemSelector":{"stack.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index"},
                          "ItemProcessor":{"StartAt":"Plan","States":{"Plan":{"Type":"Pass","End":true}}}}}},
                        {"StartAt":"Count","States":{"Count":{"Type":"Pass",
                          "Parameters":{"n.$":"States.ArrayLength($.stacks)"},"End":true}}}]}}}"""),
                    "one", "{\"stacks\":[\"network\",\"dns\"]}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("[[{\"stack\":\"network\",\"index\":0},{\"stack\":\"dns\",\"index\":1}],{\"n\":2}]"),
                    json(d.output()));
            List<String> types = h.types(x);
            assertTrue(types.indexOf("MapStateSucceeded") < types.indexOf("ParallelStateSucceeded"), types::toString);
        }
    }

    @Test
    void anOutputOverThePayloadLimitFailsWithDataLimitExceeded() {
        try (EngineHarness h = EngineHarness.manual()) {
            String big = "x".repeat(140 * 1024);
            String x = h.start(h.machine("big", """
                    {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,
                      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],
                      "Branches":[
                        {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                        {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]},
                      "Caught":{"Type":"Succeed"}}}"""), "one", "{\"big\":\"" + big + "\"}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.DataLimitExceeded", d.error(), d.cause());
            assertFalse(h.types(x).contains("SucceedStateEntered"), "States.ALL does not catch States.DataLimitExceeded");
        }
    }
}
