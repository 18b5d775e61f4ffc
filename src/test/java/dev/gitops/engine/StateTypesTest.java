package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.tasks.FunctionError;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.TaskScheduledEventDetails;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.gitops.engine.EngineHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests of the States Language's state types as AWS Step Functions runs them: Pass, Choice, Wait, Succeed,
 * Fail and Lambda Task states, and the history a task records.
 */
class StateTypesTest extends StatesLanguageTestBase {
    private void assertStillRunning(String executionArn) {
        assertEquals(ExecutionStatus.RUNNING, h.sfn.describeExecution(b -> b.executionArn(executionArn)).status());
    }

    @Nested
    class PassState {
        @Test
        void resultReplacesTheInput() {
            assertOutput("{\"x\":1,\"list\":[true,null]}",
                    run(pass("\"Result\":{\"x\":1,\"list\":[true,null]}"), "{\"in\":\"put\"}"));
        }

        @Test
        void withoutResultOrParametersTheInputPassesThrough() {
            assertOutput("{\"a\":{\"b\":[1,2]}}", run(pass("\"Comment\":\"noop\""), "{\"a\":{\"b\":[1,2]}}"));
        }

        @Test
        void parametersBuildTheResultFromStaticValuesAndPaths() {
            DescribeExecutionResponse d = run(pass("""
                    "Parameters":{"static":"v","nested":{"n":1,"copy.$":"$.a"},"list":[1,{"k":"v"}],"whole.$":"$"}"""),
                    "{\"a\":[1,2]}");
            assertOutput("{\"static\":\"v\",\"nested\":{\"n\":1,\"copy\":[1,2]},\"list\":[1,{\"k\":\"v\"}],"
                    + "\"whole\":{\"a\":[1,2]}}", d);
        }

        @Test
        void chainOfPassStatesRecordsEnteredAndExitedEvents() {
            String x = h.start(machine("""
                    {"StartAt":"A","States":{
                      "A":{"Type":"Pass","Result":1,"ResultPath":"$.a","Next":"B"},
                      "B":{"Type":"Pass","Result":2,"ResultPath":"$.b","End":true}}}"""), "x", "{}");
            assertOutput("{\"a\":1,\"b\":2}", h.awaitEnd(x));
            assertEquals(List.of("ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered",
                    "PassStateExited", "ExecutionSucceeded"), h.types(x));
        }
    }

    @Nested
    class ChoiceState {
        private static final String DEFINITION = """
                {"StartAt":"Route","States":{
                  "Route":{"Type":"Choice","Choices":[
                      {"And":[{"Variable":"$.kind","StringEquals":"order"},
                              {"Variable":"$.amount","NumericGreaterThanPath":"$.limit"}],"Next":"Large"},
                      {"Variable":"$.coupon","IsPresent":true,"Next":"Discount"},
                      {"Not":{"Variable":"$.kind","StringEquals":"order"},"Next":"Other"}],
                    "Default":"Small"},
                  "Large":{"Type":"Pass","Result":"large","ResultPath":"$.route","End":true},
                  "Discount":{"Type":"Pass","Result":"discount","ResultPath":"$.route","End":true},
                  "Other":{"Type":"Pass","Result":"other","ResultPath":"$.route","End":true},
                  "Small":{"Type":"Pass","Result":"small","ResultPath":"$.route","End":true}}}""";

        private String route(String machineArn, String name, String input) {
            return succeededOutput(h.awaitEnd(h.start(machineArn, name, input))).get("route").asText();
        }

        @Test
        void firstMatchingRuleChoosesTheNextStateAndTheInputPassesThrough() {
            String arn = machine(DEFINITION);
            // And + ...Path comparison
            assertEquals("large", route(arn, "and", "{\"kind\":\"order\",\"amount\":500,\"limit\":100}"));
            // the first matching rule wins even when a later one would match too
            assertEquals("large", route(arn, "first", "{\"kind\":\"order\",\"amount\":500,\"limit\":100,\"coupon\":\"c\"}"));
            // IsPresent
            assertEquals("discount", route(arn, "present", "{\"kind\":\"order\",\"amount\":50,\"limit\":100,\"coupon\":\"c\"}"));
            // Not
            assertEquals("other", route(arn, "not", "{\"kind\":\"refund\",\"amount\":50,\"limit\":100}"));
            // Default
            assertEquals("small", route(arn, "default", "{\"kind\":\"order\",\"amount\":50,\"limit\":100}"));
        }

        @Test
        void choiceOutputIsItsInput() {
            String x = h.start(machine(DEFINITION), "x", "{\"kind\":\"refund\",\"amount\":5,\"limit\":1}");
            assertOutput("{\"kind\":\"refund\",\"amount\":5,\"limit\":1,\"route\":\"other\"}", h.awaitEnd(x));
            HistoryEvent exited = h.history(x).stream().filter(e -> e.typeAsString().equals("ChoiceStateExited"))
                    .findFirst().orElseThrow();
            assertEquals(json("{\"kind\":\"refund\",\"amount\":5,\"limit\":1}"),
                    json(exited.stateExitedEventDetails().output()));
        }

        @Test
        void noMatchAndNoDefaultFailsWithNoChoiceMatched() {
            DescribeExecutionResponse d = run("""
                    {"StartAt":"C","States":{
                      "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"One"}]},
                      "One":{"Type":"Succeed"}}}""", "{\"n\":2}");
            assertFailedWith("States.NoChoiceMatched", d);
        }
    }

    @Nested
    class WaitState {
        private static final String AFTER = ",\"Next\":\"After\"},"
                + "\"After\":{\"Type\":\"Pass\",\"Parameters\":{\"entered.$\":\"$$.State.EnteredTime\",\"in.$\":\"$\"},\"End\":true}}}";

        private static String waitThen(String waitFields) {
            return "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\"," + waitFields + AFTER;
        }

        /** Starts, checks the execution waits until exactly {@code until}, then lets it finish. */
        private JsonNode waitsUntil(String definition, String input, Instant until) throws InterruptedException {
            String x = h.start(machine(definition), "x", input);
            h.time.awaitPending(1);
            assertEquals(List.of(until), h.time.pending());
            h.time.advance(Duration.between(START, until).minusSeconds(1));
            assertStillRunning(x);
            assertFalse(h.types(x).contains("WaitStateExited"), () -> h.types(x).toString());
            h.time.advance(Duration.ofSeconds(1));
            JsonNode output = succeededOutput(h.awaitEnd(x));
            List<String> types = h.types(x);
            assertTrue(types.indexOf("WaitStateEntered") >= 0 && types.indexOf("WaitStateExited") > types.indexOf("WaitStateEntered"),
                    types::toString);
            assertEquals(json(input), output.get("in"), "a Wait state passes its input through");
            assertEquals(until, Instant.parse(output.get("entered").asText()), "the next state is entered at the deadline");
            return output;
        }

        @Test
        void secondsKeepsTheExecutionRunningUntilTheyHavePassed() throws Exception {
            waitsUntil(waitThen("\"Seconds\":30"), "{\"a\":1}", START.plusSeconds(30));
        }

        @Test
        void secondsPathReadsTheDelayFromTheInput() throws Exception {
            waitsUntil(waitThen("\"SecondsPath\":\"$.delay\""), "{\"delay\":90}", START.plusSeconds(90));
        }

        @Test
        void timestampWaitsUntilThatInstant() throws Exception {
            waitsUntil(waitThen("\"Timestamp\":\"2026-01-01T01:00:00Z\""), "{}", Instant.parse("2026-01-01T01:00:00Z"));
        }

        @Test
        void timestampPathReadsTheInstantFromTheInput() throws Exception {
            waitsUntil(waitThen("\"TimestampPath\":\"$.until\""), "{\"until\":\"2026-01-02T00:00:00Z\"}",
                    Instant.parse("2026-01-02T00:00:00Z"));
        }
    }

    @Nested
    class SucceedAndFailStates {
        @Test
        void succeedEndsTheExecutionWithItsInput() {
            DescribeExecutionResponse d = run("""
                    {"StartAt":"S","States":{"S":{"Type":"Succeed"}}}""", "{\"done\":true}");
            assertOutput("{\"done\":true}", d);
        }

        @Test
        void succeedAppliesInputPathAndOutputPath() {
            DescribeExecutionResponse d = run("""
                    {"StartAt":"S","States":{"S":{"Type":"Succeed","InputPath":"$.a","OutputPath":"$.b"}}}""",
                    "{\"a\":{\"b\":{\"c\":3}},\"z\":0}");
            assertOutput("{\"c\":3}", d);
        }

        @Test
        void failEndsTheExecutionWithItsErrorAndCause() {
            DescribeExecutionResponse d = run("""
                    {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Custom.Broken","Cause":"It broke."}}}""", "{}");
            assertFailedWith("Custom.Broken", d);
            assertEquals("It broke.", d.cause());
        }

        @Test
        void failErrorPathAndCausePathReadTheInput() {
            DescribeExecutionResponse d = run("""
                    {"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.err","CausePath":"$.detail.why"}}}""",
                    "{\"err\":\"Dynamic.Error\",\"detail\":{\"why\":\"from input\"}}");
            assertFailedWith("Dynamic.Error", d);
            assertEquals("from input", d.cause());
        }

        @Test
        void failCausePathMayBeAnIntrinsicFunction() {
            DescribeExecutionResponse d = run("""
                    {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E",
                      "CausePath":"States.Format('order {} failed', $.id)"}}}""", "{\"id\":42}");
            assertFailedWith("E", d);
            assertEquals("order 42 failed", d.cause());
        }
    }

    @Nested
    class LambdaTask {
        @Test
        void requestResponseResultHasPayloadAndStatusCode200() {
            List<JsonNode> received = new CopyOnWriteArrayList<>();
            h.function("greet", payload -> {
                received.add(payload);
                return Json.object().put("greeting", "hello " + payload.get("who").asText());
            });
            DescribeExecutionResponse d = run("""
                    {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                      "Parameters":{"FunctionName":"greet","Payload":{"who.$":"$.name"}},"End":true}}}""",
                    "{\"name\":\"ann\"}");
            JsonNode output = succeededOutput(d);
            assertEquals(List.of(json("{\"who\":\"ann\"}")), received);
            assertEquals(json("{\"greeting\":\"hello ann\"}"), output.get("Payload"));
            assertEquals(200, output.get("StatusCode").asInt());
            assertTrue(output.get("StatusCode").isIntegralNumber());
        }

        @Test
        void functionErrorFailsTheExecutionWithItsErrorType() {
            h.function("boom", payload -> {
                throw new FunctionError("Custom.Boom", "nope");
            });
            DescribeExecutionResponse d = run("""
                    {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                      "Parameters":{"FunctionName":"boom"},"End":true}}}""", "{}");
            assertFailedWith("Custom.Boom", d);
        }
    }

    @Nested
    class History {
        @Test
        void taskHistoryRecordsTheResolvedParametersAndNumbersEvents() {
            String x = h.start(machine("""
                    {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                      "Parameters":{"FunctionName":"echo","Payload":{"x.$":"$.x","fixed":"f"}},"End":true}}}"""),
                    "x", "{\"x\":1}");
            succeededOutput(h.awaitEnd(x));
            List<HistoryEvent> events = h.history(x);
            assertEquals(List.of("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                    "TaskStateExited", "ExecutionSucceeded"), events.stream().map(HistoryEvent::typeAsString).toList());

            for (int i = 0; i < events.size(); i++) {
                HistoryEvent e = events.get(i);
                assertEquals(i + 1, e.id(), "events are numbered 1..n");
                assertNotNull(e.previousEventId());
                assertTrue(e.previousEventId() >= 0 && e.previousEventId() < e.id(), e::toString);
                assertNotNull(e.timestamp());
            }
            assertEquals(0L, events.get(0).previousEventId());
            assertEquals(events.get(1).id(), events.get(2).previousEventId(), "TaskScheduled follows TaskStateEntered");
            assertEquals(events.get(2).id(), events.get(3).previousEventId(), "TaskStarted follows TaskScheduled");
            assertEquals(events.get(3).id(), events.get(4).previousEventId(), "TaskSucceeded follows TaskStarted");

            TaskScheduledEventDetails scheduled = events.get(2).taskScheduledEventDetails();
            assertNotNull(scheduled);
            assertEquals("lambda", scheduled.resourceType());
            assertEquals("invoke", scheduled.resource());
            assertEquals("us-east-1", scheduled.region());
            assertEquals(json("{\"FunctionName\":\"echo\",\"Payload\":{\"x\":1,\"fixed\":\"f\"}}"), json(scheduled.parameters()));

            assertEquals("lambda", events.get(3).taskStartedEventDetails().resourceType());
            assertEquals("invoke", events.get(3).taskStartedEventDetails().resource());
            assertEquals("lambda", events.get(4).taskSucceededEventDetails().resourceType());
            assertEquals("invoke", events.get(4).taskSucceededEventDetails().resource());
            JsonNode taskOutput = json(events.get(4).taskSucceededEventDetails().output());
            assertEquals(json("{\"x\":1,\"fixed\":\"f\"}"), taskOutput.get("Payload"));
            assertEquals(200, taskOutput.get("StatusCode").asInt());
            assertEquals("T", events.get(1).stateEnteredEventDetails().name());
            assertEquals(json("{\"x\":1}"), json(events.get(1).stateEnteredEventDetails().input()));
        }
    }
}
