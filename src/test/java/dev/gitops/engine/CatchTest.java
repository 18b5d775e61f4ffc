package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.tasks.FunctionError;
import dev.gitops.engine.tasks.LocalFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gitops.engine.EngineHarness.json;
import static dev.gitops.engine.TaskFixtures.CALLBACK;
import static dev.gitops.engine.TaskFixtures.INVOKE;
import static dev.gitops.engine.TaskFixtures.parking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests for Catch with AWS Step Functions' semantics: error matching (names, States.ALL, States.TaskFailed,
 * States.Timeout), ResultPath of the error output, and States.Runtime, which nothing catches. Everything goes through
 * the AWS SDK client.
 */
class CatchTest {
    @Test
    void catchByErrorNamePlacesErrorAndCauseAtResultPathAndContinuesAtNext() {
        try (EngineHarness h = EngineHarness.manual().function("boom", boom())) {
            String x = h.start(h.machine("catch-name", catchMachine("""
                    [{"ErrorEquals":["OtherError"],"Next":"Wrong"},
                     {"ErrorEquals":["MyError"],"ResultPath":"$.error","Next":"Recovered"}]""")),
                    "one", "{\"order\":7}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            ObjectNode output = (ObjectNode) json(d.output());
            JsonNode error = output.remove("error");
            assertEquals(json("{\"order\":7}"), output, "the rest of the original input is kept");
            assertEquals(Set.of("Error", "Cause"), fieldNames(error));
            assertEquals("MyError", error.get("Error").asText());
            JsonNode cause = json(error.get("Cause").asText());
            assertEquals("boom happened", cause.get("errorMessage").asText());
            assertEquals("MyError", cause.get("errorType").asText());

            assertEquals(List.of("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed",
                    "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"), h.types(x));
            HistoryEvent failed = h.events(x, "TaskFailed").get(0);
            assertEquals("MyError", failed.taskFailedEventDetails().error());
            assertEquals(error.get("Cause").asText(), failed.taskFailedEventDetails().cause());
            HistoryEvent exited = h.events(x, "TaskStateExited").get(0);
            HistoryEvent entered = h.events(x, "PassStateEntered").get(0);
            assertEquals("Recovered", entered.stateEnteredEventDetails().name());
            assertEquals(json(exited.stateExitedEventDetails().output()), json(entered.stateEnteredEventDetails().input()));
        }
    }

    @Test
    void catchWithoutResultPathReplacesTheInputWithTheErrorObject() {
        try (EngineHarness h = EngineHarness.manual().function("boom", boom())) {
            String x = h.start(h.machine("catch-no-path", catchMachine("""
                    [{"ErrorEquals":["MyError"],"Next":"Recovered"}]""")), "one", "{\"order\":7}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            JsonNode output = json(d.output());
            assertEquals(Set.of("Error", "Cause"), fieldNames(output));
            assertEquals("MyError", output.get("Error").asText());
            assertEquals("boom happened", json(output.get("Cause").asText()).get("errorMessage").asText());
        }
    }

    @Test
    void catchWithNullResultPathPassesTheOriginalInputOn() {
        try (EngineHarness h = EngineHarness.manual().function("boom", boom())) {
            String x = h.start(h.machine("catch-null-path", catchMachine("""
                    [{"ErrorEquals":["MyError"],"ResultPath":null,"Next":"Recovered"}]""")), "one", "{\"order\":7}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals(json("{\"order\":7}"), json(d.output()));
            assertEquals("Recovered", h.events(x, "PassStateEntered").get(0).stateEnteredEventDetails().name());
        }
    }

    @ParameterizedTest(name = "a Catcher on {0} catches a function error")
    @ValueSource(strings = {"States.ALL", "States.TaskFailed"})
    void wildcardCatchersCatchANamedFunctionError(String wildcard) {
        try (EngineHarness h = EngineHarness.manual().function("boom", boom())) {
            String x = h.start(h.machine("catch-" + wildcard.replace('.', '-'), catchMachine("""
                    [{"ErrorEquals":["%s"],"ResultPath":"$.error","Next":"Recovered"}]""".formatted(wildcard))), "one", "{}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals("MyError", json(d.output()).get("error").get("Error").asText());
        }
    }

    @Test
    void aJavaExceptionFailsWithItsClassNameAndAJsonCause() {
        try (EngineHarness h = EngineHarness.manual().function("boom", payload -> {
            throw new IllegalStateException("bad state");
        })) {
            String x = h.start(h.machine("catch-java", catchMachine("""
                    [{"ErrorEquals":["java.lang.IllegalStateException"],"ResultPath":"$.error","Next":"Recovered"}]""")),
                    "one", "{}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            JsonNode error = json(d.output()).get("error");
            assertEquals("java.lang.IllegalStateException", error.get("Error").asText());
            JsonNode cause = json(error.get("Cause").asText());
            assertTrue(cause.isObject(), "the cause is a JSON object: " + cause);
            assertEquals("bad state", cause.get("errorMessage").asText());
            assertEquals("java.lang.IllegalStateException", cause.get("errorType").asText());
            assertEquals("java.lang.IllegalStateException", h.events(x, "TaskFailed").get(0).taskFailedEventDetails().error());
        }
    }

    @Test
    void uncaughtFunctionErrorFailsTheExecutionWithItsNameAndCause() {
        try (EngineHarness h = EngineHarness.manual().function("boom", boom())) {
            String x = h.start(h.machine("catch-miss", catchMachine("""
                    [{"ErrorEquals":["OtherError"],"Next":"Recovered"}]""")), "one", "{}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("MyError", d.error());
            assertEquals("boom happened", json(d.cause()).get("errorMessage").asText());
            List<String> types = h.types(x);
            assertEquals(List.of("TaskFailed", "ExecutionFailed"), types.subList(types.size() - 2, types.size()));
            assertEquals("MyError", h.lastEvent(x).executionFailedEventDetails().error());
        }
    }

    @Test
    void statesTimeoutIsNotMatchedByStatesTaskFailedButIsByStatesAll() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (EngineHarness h = EngineHarness.manual().function("park", parking(calls, new CopyOnWriteArrayList<>()))) {
            String x = h.start(h.machine("timeout-catch", """
                    {"StartAt":"Wait","States":{
                      "Wait":{"Type":"Task","Resource":"%s","TimeoutSeconds":5,
                        "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                        "Retry":[{"ErrorEquals":["States.TaskFailed"],"MaxAttempts":3}],
                        "Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.error","Next":"TaskFailedCaught"},
                                 {"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"AllCaught"}],
                        "End":true},
                      "TaskFailedCaught":{"Type":"Pass","End":true},
                      "AllCaught":{"Type":"Pass","End":true}}}""".formatted(CALLBACK)), "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");

            h.time.advance(Duration.ofSeconds(5));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals("States.Timeout", json(d.output()).get("error").get("Error").asText());
            assertEquals("AllCaught", h.events(x, "PassStateEntered").get(0).stateEnteredEventDetails().name());
            assertEquals(1, calls.get(), "a States.TaskFailed retrier must not retry States.Timeout");
        }
    }

    @Test
    void statesTimeoutWithOnlyAStatesTaskFailedCatcherFailsTheExecution() throws Exception {
        try (EngineHarness h = EngineHarness.manual().function("park", parking(new AtomicInteger(), new CopyOnWriteArrayList<>()))) {
            String x = h.start(h.machine("timeout-uncaught", """
                    {"StartAt":"Wait","States":{
                      "Wait":{"Type":"Task","Resource":"%s","TimeoutSeconds":5,
                        "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                        "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"TaskFailedCaught"}],
                        "End":true},
                      "TaskFailedCaught":{"Type":"Pass","End":true}}}""".formatted(CALLBACK)), "one", "{}");
            h.awaitEvent(x, "TaskSubmitted");

            h.time.advance(Duration.ofSeconds(5));

            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.Timeout", d.error());
            assertFalse(h.types(x).contains("PassStateEntered"));
        }
    }

    @Test
    void statesRuntimeIsNeitherRetriedNorCaughtByStatesAll() {
        AtomicInteger calls = new AtomicInteger();
        try (EngineHarness h = EngineHarness.manual().function("ok", payload -> {
            calls.incrementAndGet();
            return Json.object().put("a", 1);
        })) {
            String x = h.start(h.machine("runtime-error", """
                    {"StartAt":"Call","States":{
                      "Call":{"Type":"Task","Resource":"%s","Parameters":{"FunctionName":"ok","Payload":{}},
                        "OutputPath":"$.Payload.missing",
                        "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3}],
                        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],
                        "End":true},
                      "Caught":{"Type":"Pass","End":true}}}""".formatted(INVOKE)), "one", "{}");

            DescribeExecutionResponse d = h.awaitEnd(x);

            assertEquals(ExecutionStatus.FAILED, d.status());
            assertEquals("States.Runtime", d.error());
            assertFalse(h.types(x).contains("PassStateEntered"), "States.ALL must not catch States.Runtime");
            assertEquals(1, calls.get(), "States.ALL must not retry States.Runtime");
            assertEquals("ExecutionFailed", h.lastEvent(x).typeAsString());
        }
    }

    // ============================================================================================ helpers

    /** A Task that calls "boom" with the given Catch; "Recovered" is a Pass, "Wrong" (when a Catcher names it) a Fail. */
    private static String catchMachine(String catchers) {
        String wrong = catchers.contains("\"Wrong\"")
                ? ",\n  \"Wrong\":{\"Type\":\"Fail\",\"Error\":\"WrongCatcher\",\"Cause\":\"the wrong Catcher matched\"}" : "";
        return """
                {"StartAt":"Call","States":{
                  "Call":{"Type":"Task","Resource":"%s",
                    "Parameters":{"FunctionName":"boom","Payload.$":"$"},
                    "Catch":%s,
                    "End":true},
                  "Recovered":{"Type":"Pass","End":true}%s}}""".formatted(INVOKE, catchers, wrong);
    }

    private static LocalFunction boom() {
        return payload -> {
            throw new FunctionError("MyError", "boom happened");
        };
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
