package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.data.StatesException;
import dev.gitops.engine.tasks.FunctionError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gitops.engine.EngineHarness.json;
import static dev.gitops.engine.TaskFixtures.INVOKE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests of the Map state in INLINE mode with AWS Step Functions' semantics, through the AWS SDK: items,
 * ItemSelector (and the legacy Iterator and Parameters) with {@code $$.Map.Item}, MaxConcurrency, tolerated failures,
 * Retry and Catch on the whole state, and the history events AWS records for it and for the states inside iterations.
 */
class MapStateTest {
    /** A Map of one Pass state per item, with the given extra fields of the Map state (ending with a comma). */
    private static String passMap(String fields) {
        return """
                {"StartAt":"Each","States":{"Each":{"Type":"Map",%s"End":true,
                  "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Item","States":{"Item":{"Type":"Pass","End":true}}}}}}"""
                .formatted(fields);
    }

    /** A Map whose iterations run a {@link Jobs} task each, at most {@code limit} at once. */
    private static String jobMap(String limit) {
        return """
                {"StartAt":"Each","States":{"Each":{"Type":"Map",%s"End":true,
                  "ItemProcessor":{"StartAt":"Job","States":{"Job":{"Type":"Task","Resource":"%s","End":true}}}}}}"""
                .formatted(limit, Jobs.RUN);
    }

    /** A Map whose iterations fail (Error "Item.Failed") for the items with {@code "fail": true}. */
    private static String failingMap(String fields) {
        return """
                {"StartAt":"Each","States":{"Each":{"Type":"Map",%s"End":true,"ItemProcessor":{"StartAt":"Check","States":{
                  "Check":{"Type":"Choice","Choices":[{"Variable":"$.fail","IsPresent":true,"Next":"Broken"}],"Default":"Fine"},
                  "Broken":{"Type":"Fail","Error":"Item.Failed","Cause":"this item fails"},
                  "Fine":{"Type":"Pass","Result":"fine","End":true}}}}}}""".formatted(fields);
    }

    @Test
    void eachItemGoesThroughTheItemProcessorAndTheOutputIsTheArrayInItemOrder() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("items", """
                    {"StartAt":"Each","States":{"Each":{"Type":"Map","InputPath":"$.plan","ItemsPath":"$.stacks",
                      "ResultSelector":{"planned.$":"$"},"ResultPath":"$.result","OutputPath":"$.result","End":true,
                      "ItemProcessor":{"StartAt":"Plan","States":{
                        "Plan":{"Type":"Pass","Parameters":{"stack.$":"$","state.$":"$$.State.Name"},"End":true}}}}}}"""),
                    "one", "{\"plan\":{\"stacks\":[\"network\",\"dns\",\"app\"]}}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("""
                    {"planned":[{"stack":"network","state":"Plan"},{"stack":"dns","state":"Plan"},{"stack":"app","state":"Plan"}]}"""),
                    json(d.output()));
        }
    }

    @Test
    void itemSelectorSeesMapItemIndexAndValueAndTheStateInput() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("selector", passMap("""
                    "ItemsPath":"$.stacks","ItemSelector":{"index.$":"$$.Map.Item.Index","value.$":"$$.Map.Item.Value",
                      "env.$":"$.env","map.$":"$$.State.Name"},""")), "one", "{\"env\":\"prd\",\"stacks\":[\"a\",{\"b\":1}]}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("""
                    [{"index":0,"value":"a","env":"prd","map":"Each"},{"index":1,"value":{"b":1},"env":"prd","map":"Each"}]"""),
                    json(d.output()));
        }
    }

    @Test
    void theLegacyIteratorAndParametersWorkAsItemProcessorAndItemSelector() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("legacy", """
                    {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"MaxConcurrency":1,
                      "Parameters":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
                      "Iterator":{"StartAt":"Item","States":{"Item":{"Type":"Pass","End":true}}}}}}"""), "one", "[10,20]");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("[{\"i\":0,\"v\":10},{\"i\":1,\"v\":20}]"), json(d.output()));
        }
    }

    @Test
    void historyHasTheMapEventsWithTheirDetailsAroundTheEventsOfEachIteration() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("history", passMap("\"MaxConcurrency\":1,")), "one", "[\"a\",\"b\"]");
            assertEquals(ExecutionStatus.SUCCEEDED, h.awaitEnd(x).status());

            assertEquals(List.of("ExecutionStarted", "MapStateEntered", "MapStateStarted",
                    "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded",
                    "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded",
                    "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"), h.types(x));
            List<HistoryEvent> history = h.history(x);
            assertEquals(2, history.get(2).mapStateStartedEventDetails().length());
            assertEquals("Each", history.get(3).mapIterationStartedEventDetails().name());
            assertEquals(0, history.get(3).mapIterationStartedEventDetails().index());
            assertEquals(0, history.get(6).mapIterationSucceededEventDetails().index());
            assertEquals(1, history.get(7).mapIterationStartedEventDetails().index());
            assertEquals(1, history.get(10).mapIterationSucceededEventDetails().index());
            assertEquals("\"b\"", history.get(8).stateEnteredEventDetails().input());
            assertEquals(json("[\"a\",\"b\"]"), json(history.get(12).stateExitedEventDetails().output()));
            assertEquals(history.get(3).id(), history.get(4).previousEventId(), "an iteration's first event follows its start");
        }
    }

    @Test
    void anEmptyArrayGivesAnEmptyOutputWithoutIterations() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("empty", passMap("\"ItemsPath\":\"$.none\",")), "one", "{\"none\":[]}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(json("[]"), json(d.output()));
            assertEquals(List.of("ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapStateSucceeded",
                    "MapStateExited", "ExecutionSucceeded"), h.types(x));
            assertEquals(0, h.events(x, "MapStateStarted").get(0).mapStateStartedEventDetails().length());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "MaxConcurrency 2 | \"MaxConcurrency\":2, | {\"items\":[1,2,3,4,5,6]} | 2",
            "MaxConcurrency 1 | \"MaxConcurrency\":1, | {\"items\":[1,2,3,4,5,6]} | 1",
            "MaxConcurrency 0 (no limit) | \"MaxConcurrency\":0, | {\"items\":[1,2,3,4,5,6]} | 6",
            "MaxConcurrencyPath | \"MaxConcurrencyPath\":\"$.limit\", | {\"limit\":3,\"items\":[1,2,3,4,5,6]} | 3",
    })
    void maxConcurrencyBoundsHowManyIterationsRunAtOnce(String name, String limit, String input, int expected)
            throws Exception {
        Jobs jobs = new Jobs();
        try (EngineHarness h = EngineHarness.manual(jobs)) {
            String x = h.start(h.machine("limit", jobMap(limit + "\"ItemsPath\":\"$.items\",")), "one", input);
            List<Jobs.Job> waiting = new ArrayList<>();
            for (int finished = 0; finished < 6; finished++) {
                while (waiting.size() < Math.min(expected, 6 - finished)) {
                    waiting.add(jobs.next());
                }
                Jobs.Job job = waiting.remove(0);
                job.finish(Json.object().put("item", job.parameters().asInt()));
            }
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(expected, jobs.maxRunning(), "iterations running at once");
            assertEquals(6, jobs.total());
            assertEquals(json("[{\"item\":1},{\"item\":2},{\"item\":3},{\"item\":4},{\"item\":5},{\"item\":6}]"),
                    json(d.output()));
        }
    }

    @Test
    void anItemsPathThatIsNotAnArrayFailsWithStatesRuntimeWhichNoCatcherCatches() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("not-array", """
                    {"StartAt":"Each","States":{
                      "Each":{"Type":"Map","ItemsPath":"$.stacks","Next":"Done",
                        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done"}],
                        "ItemProcessor":{"StartAt":"Item","States":{"Item":{"Type":"Pass","End":true}}}},
                      "Done":{"Type":"Succeed"}}}"""), "one", "{\"stacks\":\"network\"}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.Runtime", d.error());
            assertTrue(d.cause().contains("ItemsPath '$.stacks'") && d.cause().contains("array"), d.cause());
            assertEquals(List.of("ExecutionStarted", "MapStateEntered", "MapStateFailed", "ExecutionFailed"), h.types(x));
        }
    }

    @Test
    void aFailingIterationFailsTheMapWithItsErrorAndAbortsTheIterationsStillRunning() throws Exception {
        Jobs jobs = new Jobs();
        try (EngineHarness h = EngineHarness.manual(jobs)) {
            String x = h.start(h.machine("fail", jobMap("")), "one", "[0,1,2]");
            List<Jobs.Job> started = List.of(jobs.next(), jobs.next(), jobs.next());
            Jobs.Job failing = started.stream().filter(j -> j.parameters().asInt() == 1).findFirst().orElseThrow();

            failing.fail(new StatesException("Job.Broke", "job 1 broke"));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("Job.Broke", d.error());
            assertEquals("job 1 broke", d.cause());
            List<String> types = h.types(x);
            int failed = types.indexOf("MapIterationFailed");
            assertEquals(List.of("MapIterationFailed", "TaskStateAborted", "MapIterationAborted", "TaskStateAborted",
                    "MapIterationAborted", "MapStateFailed", "ExecutionFailed"), types.subList(failed, types.size()));
            assertEquals(1, h.events(x, "MapIterationFailed").get(0).mapIterationFailedEventDetails().index());
            assertEquals(List.of(0, 2), h.events(x, "MapIterationAborted").stream()
                    .map(e -> e.mapIterationAbortedEventDetails().index()).toList());
            for (Jobs.Job job : started) {
                assertTrue(job == failing || job.cancelled().isDone(), "the other iterations' tasks are called off");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "count 1, one fails | \"ToleratedFailureCount\":1, | {\"items\":[{},{\"fail\":true},{},{}]}",
            "25 percent, one of four fails | \"ToleratedFailurePercentage\":25, | {\"items\":[{},{\"fail\":true},{},{}]}",
            "count by path | \"ToleratedFailureCountPath\":\"$.tolerate\", | {\"tolerate\":2,\"items\":[{\"fail\":true},{\"fail\":true},{},{}]}",
            "percentage by path | \"ToleratedFailurePercentagePath\":\"$.tolerate\", | {\"tolerate\":50,\"items\":[{\"fail\":true},{\"fail\":true},{},{}]}",
    })
    void failuresUpToTheToleratedThresholdLeaveTheirErrorInTheOutput(String name, String tolerance, String input) {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("tolerated", failingMap(tolerance + "\"ItemsPath\":\"$.items\",")), "one", input);
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            JsonNode items = json(input).get("items");
            JsonNode output = json(d.output());
            for (int i = 0; i < items.size(); i++) {
                JsonNode expected = items.get(i).has("fail")
                        ? json("{\"Error\":\"Item.Failed\",\"Cause\":\"this item fails\"}") : Json.NODES.textNode("fine");
                assertEquals(expected, output.get(i), "item " + i);
            }
            assertEquals(h.events(x, "MapIterationFailed").size(), (int) items.findValues("fail").size());
            assertTrue(h.types(x).contains("MapStateSucceeded"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "count 1, two fail | \"ToleratedFailureCount\":1, | {\"items\":[{\"fail\":true},{},{\"fail\":true},{}]}",
            "20 percent, one of four fails | \"ToleratedFailurePercentage\":20, | {\"items\":[{},{\"fail\":true},{},{}]}",
            "count by path | \"ToleratedFailureCountPath\":\"$.tolerate\", | {\"tolerate\":0,\"items\":[{},{\"fail\":true}]}",
            "either threshold | \"ToleratedFailureCount\":5,\"ToleratedFailurePercentage\":10, | {\"items\":[{},{\"fail\":true},{},{}]}",
    })
    void failuresOverTheToleratedThresholdFailTheMapWithExceedToleratedFailureThreshold(String name, String tolerance,
                                                                                         String input) {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("exceeded", failingMap(tolerance + "\"MaxConcurrency\":1,\"ItemsPath\":\"$.items\",")),
                    "one", input);
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.ExceedToleratedFailureThreshold", d.error());
            assertEquals("The specified tolerated failure threshold was exceeded", d.cause());
            List<String> types = h.types(x);
            assertEquals(List.of("MapStateFailed", "ExecutionFailed"), types.subList(types.size() - 2, types.size()));
        }
    }

    @Test
    void retryRunsTheWholeMapAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (EngineHarness h = EngineHarness.manual().function("flaky", payload -> {
            if (calls.incrementAndGet() == 2) {
                throw new FunctionError("Flaky", "the second call fails");
            }
            return payload;
        })) {
            String x = h.start(h.machine("retry", """
                    {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"MaxConcurrency":1,
                      "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":2,"MaxAttempts":1}],
                      "ItemProcessor":{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"%s",
                        "Parameters":{"FunctionName":"flaky","Payload.$":"$"},"OutputPath":"$.Payload","End":true}}}}}}"""
                    .formatted(INVOKE)), "one", "[1,2,3]");
            h.awaitEvent(x, "MapIterationFailed");
            h.time.awaitPending(1);

            h.time.advance(Duration.ofSeconds(2));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("[1,2,3]"), json(d.output()));
            assertEquals(5, calls.get(), "two calls in the first attempt, three in the second");
            assertEquals(2, h.events(x, "MapStateStarted").size());
            assertEquals(List.of(0, 1, 0, 1, 2), h.events(x, "MapIterationStarted").stream()
                    .map(e -> e.mapIterationStartedEventDetails().index()).toList());
            assertFalse(h.types(x).contains("MapStateFailed"), "a retried Map records no failure");
        }
    }

    @Test
    void aFailedMapIsCaughtByItsCatch() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("catch", """
                    {"StartAt":"Each","States":{
                      "Each":{"Type":"Map","Next":"Done","ItemsPath":"$.items",
                        "Catch":[{"ErrorEquals":["Item.Failed"],"ResultPath":"$.error","Next":"Recovered"}],
                        "ItemProcessor":{"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"Item.Failed","Cause":"no"}}}},
                      "Recovered":{"Type":"Pass","End":true},
                      "Done":{"Type":"Succeed"}}}"""), "one", "{\"items\":[1]}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("{\"items\":[1],\"error\":{\"Error\":\"Item.Failed\",\"Cause\":\"no\"}}"), json(d.output()));
            List<String> types = h.types(x);
            assertEquals(List.of("MapStateEntered", "MapStateStarted", "MapIterationStarted", "FailStateEntered",
                    "MapIterationFailed", "MapStateFailed", "MapStateExited", "PassStateEntered"), types.subList(1, 9));
        }
    }

    @Test
    void aMapInsideAMapWithWaitStatesRunsOnTheEngineClock() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("nested", """
                    {"StartAt":"Outer","States":{"Outer":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"Inner","States":{
                      "Inner":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"Pause","States":{
                        "Pause":{"Type":"Wait","Seconds":60,"Next":"Double"},
                        "Double":{"Type":"Pass","Parameters":{"v.$":"States.MathAdd($, $)"},"OutputPath":"$.v","End":true}}}}}}}}}"""),
                    "one", "[[1,2],[3]]");
            h.time.awaitPending(3);
            assertEquals(ExecutionStatus.RUNNING, h.describe(x).status());

            h.time.advance(Duration.ofSeconds(60));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("[[2,4],[6]]"), json(d.output()));
            assertEquals(Instant.parse("2026-01-01T00:01:00Z"), d.stopDate(), "one minute on the test clock");
        }
    }

    @Test
    void anOutputOverThePayloadLimitFailsWithDataLimitExceeded() {
        try (EngineHarness h = EngineHarness.manual()) {
            String x = h.start(h.machine("big", passMap("\"ItemSelector\":{\"big.$\":\"$.big\"},\"ItemsPath\":\"$.items\",")),
                    "one", "{\"items\":[1,2],\"big\":\"" + "x".repeat(140 * 1024) + "\"}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.DataLimitExceeded", d.error(), d.cause());
        }
    }
}
