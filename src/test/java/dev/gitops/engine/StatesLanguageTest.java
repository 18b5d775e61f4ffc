package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.tasks.FunctionError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.TaskScheduledEventDetails;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gitops.engine.EngineHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests of the Amazon States Language (JSONPath) as AWS Step Functions runs it: every state type, every
 * input/output field, the context object, intrinsic functions, the predefined errors and the 256 KiB payload quota.
 * Everything goes through the AWS SDK against the engine's AWS-protocol endpoint. Each test gets a fresh engine on
 * manual time starting at 2026-01-01T00:00:00Z.
 */
class StatesLanguageTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final int LIMIT = 262_144;

    private EngineHarness h;
    private int machines;

    @BeforeEach
    void startEngine() {
        h = EngineHarness.manual();
        h.function("echo", payload -> payload);
    }

    @AfterEach
    void stopEngine() {
        h.close();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String machine(String definition) {
        return h.machine("m" + (++machines), definition);
    }

    /** Creates a state machine, runs one execution of it to its end and describes it. */
    private DescribeExecutionResponse run(String definition, String input) {
        String x = h.start(machine(definition), "x", input);
        return h.awaitEnd(x);
    }

    private static JsonNode succeededOutput(DescribeExecutionResponse d) {
        assertEquals(ExecutionStatus.SUCCEEDED, d.status(), () -> "error " + d.error() + ": " + d.cause());
        return json(d.output());
    }

    private static void assertOutput(String expectedJson, DescribeExecutionResponse d) {
        assertEquals(json(expectedJson), succeededOutput(d));
    }

    private static void assertFailedWith(String error, DescribeExecutionResponse d) {
        assertEquals(ExecutionStatus.FAILED, d.status(), () -> "output: " + d.output());
        assertEquals(error, d.error(), () -> "cause: " + d.cause());
    }

    /** One Pass state with these extra fields ("Type" and "End" added). */
    private static String pass(String fields) {
        return "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\"," + fields + ",\"End\":true}}}";
    }

    private static String repeat(char c, int count) {
        return String.valueOf(c).repeat(count);
    }

    private void assertStillRunning(String executionArn) {
        assertEquals(ExecutionStatus.RUNNING, h.sfn.describeExecution(b -> b.executionArn(executionArn)).status());
    }

    /** Waits (real time, briefly) until a timer is armed for exactly this instant. */
    private void awaitTimerAt(Instant at) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!h.time.pending().contains(at)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no timer armed for " + at + "; pending: " + h.time.pending());
            }
            Thread.sleep(5);
        }
    }

    // ================================================================================================ state types

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

    // ================================================================================================ input and output

    @Nested
    class InputAndOutput {
        @Test
        void inputPathSelectsTheEffectiveInput() {
            assertOutput("{\"b\":[1]}", run(pass("\"InputPath\":\"$.a\""), "{\"a\":{\"b\":[1]},\"c\":2}"));
        }

        @Test
        void inputPathNullGivesAnEmptyObjectAsEffectiveInput() {
            assertOutput("{}", run(pass("\"InputPath\":null"), "{\"a\":1}"));
            // and the result still goes into the state's original input
            assertOutput("{\"a\":1,\"seen\":{}}", run(pass("\"InputPath\":null,\"ResultPath\":\"$.seen\""), "{\"a\":1}"));
        }

        @Test
        void parametersReadTheEffectiveInputAfterInputPath() {
            assertOutput("{\"copy\":5}",
                    run(pass("\"InputPath\":\"$.inner\",\"Parameters\":{\"copy.$\":\"$.v\"}"), "{\"inner\":{\"v\":5},\"v\":0}"));
        }

        @Test
        void parametersReadTheContextObject() {
            String machineArn = machine(pass("""
                    "Parameters":{
                      "executionId.$":"$$.Execution.Id",
                      "executionName.$":"$$.Execution.Name",
                      "executionInput.$":"$$.Execution.Input",
                      "startTime.$":"$$.Execution.StartTime",
                      "stateName.$":"$$.State.Name",
                      "enteredTime.$":"$$.State.EnteredTime",
                      "retryCount.$":"$$.State.RetryCount",
                      "machineId.$":"$$.StateMachine.Id",
                      "machineName.$":"$$.StateMachine.Name"}"""));
            String input = "{\"order\":{\"id\":7},\"tags\":[\"a\"]}";
            String x = h.start(machineArn, "ctx-run", input);
            JsonNode out = succeededOutput(h.awaitEnd(x));
            assertEquals(x, out.get("executionId").asText());
            assertEquals("ctx-run", out.get("executionName").asText());
            assertEquals(json(input), out.get("executionInput"));
            assertEquals(START, Instant.parse(out.get("startTime").asText()));
            assertEquals("P", out.get("stateName").asText());
            assertEquals(START, Instant.parse(out.get("enteredTime").asText()));
            assertEquals(0, out.get("retryCount").asInt());
            assertTrue(out.get("retryCount").isIntegralNumber());
            assertEquals(machineArn, out.get("machineId").asText());
            assertEquals("m" + machines, out.get("machineName").asText());
        }

        @Test
        void contextRetryCountCountsTheRetriesOfTheCurrentState() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            List<JsonNode> received = new CopyOnWriteArrayList<>();
            h.function("flaky", payload -> {
                received.add(payload);
                if (calls.incrementAndGet() == 1) {
                    throw new FunctionError("Transient", "try again");
                }
                return payload;
            });
            String x = h.start(machine("""
                    {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                      "Parameters":{"FunctionName":"flaky","Payload":{"retry.$":"$$.State.RetryCount"}},
                      "Retry":[{"ErrorEquals":["Transient"],"IntervalSeconds":5,"MaxAttempts":2}],
                      "OutputPath":"$.Payload","End":true}}}"""), "x", "{}");
            h.awaitEvent(x, "TaskFailed");
            awaitTimerAt(START.plusSeconds(5));
            h.time.advance(Duration.ofSeconds(5));
            assertOutput("{\"retry\":1}", h.awaitEnd(x));
            assertEquals(List.of(json("{\"retry\":0}"), json("{\"retry\":1}")), received);
        }

        @Test
        void resultSelectorShapesTheTaskResultBeforeResultPath() {
            h.function("noisy", payload -> Json.object().put("value", 42).put("noise", "dropped"));
            DescribeExecutionResponse d = run("""
                    {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                      "Parameters":{"FunctionName":"noisy"},
                      "ResultSelector":{"v.$":"$.Payload.value","code.$":"$.StatusCode","fixed":"yes"},
                      "ResultPath":"$.sel","End":true}}}""", "{\"keep\":true}");
            assertOutput("{\"keep\":true,\"sel\":{\"v\":42,\"code\":200,\"fixed\":\"yes\"}}", d);
        }

        @Test
        void resultPathDollarReplacesTheInput() {
            assertOutput("{\"r\":1}", run(pass("\"Result\":{\"r\":1},\"ResultPath\":\"$\""), "{\"in\":0}"));
        }

        @Test
        void resultPathCreatesMissingIntermediateObjects() {
            assertOutput("{\"x\":1,\"a\":{\"b\":\"R\"}}", run(pass("\"Result\":\"R\",\"ResultPath\":\"$.a.b\""), "{\"x\":1}"));
        }

        @Test
        void resultPathKeepsSiblingsOfAnExistingObject() {
            assertOutput("{\"a\":{\"keep\":true,\"b\":\"R\"}}",
                    run(pass("\"Result\":\"R\",\"ResultPath\":\"$.a.b\""), "{\"a\":{\"keep\":true}}"));
        }

        @Test
        void resultPathOverwritesAnExistingField() {
            assertOutput("{\"a\":\"new\",\"b\":2}", run(pass("\"Result\":\"new\",\"ResultPath\":\"$.a\""), "{\"a\":\"old\",\"b\":2}"));
        }

        @Test
        void resultPathNullPassesTheInputThrough() {
            assertOutput("{\"in\":1}", run(pass("\"Result\":{\"discarded\":true},\"ResultPath\":null"), "{\"in\":1}"));
        }

        @Test
        void resultPathNullOnATaskDiscardsTheResult() {
            DescribeExecutionResponse d = run("""
                    {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                      "Parameters":{"FunctionName":"echo","Payload":{"x":1}},"ResultPath":null,"End":true}}}""",
                    "{\"original\":true}");
            assertOutput("{\"original\":true}", d);
        }

        @Test
        void outputPathSelectsTheOutput() {
            assertOutput("[1,2]", run(pass("\"Result\":{\"keep\":[1,2],\"drop\":0},\"OutputPath\":\"$.keep\""), "{}"));
        }

        @Test
        void outputPathNullGivesAnEmptyObject() {
            assertOutput("{}", run(pass("\"OutputPath\":null"), "{\"a\":1}"));
        }

        @Test
        void resultPathAppliesToTheOriginalInputNotTheEffectiveInput() {
            assertOutput("{\"a\":{\"v\":1},\"b\":2,\"res\":{\"copy\":1}}",
                    run(pass("\"InputPath\":\"$.a\",\"Parameters\":{\"copy.$\":\"$.v\"},\"ResultPath\":\"$.res\""),
                            "{\"a\":{\"v\":1},\"b\":2}"));
        }

        @Test
        void fieldsApplyInOrderInputPathParametersResultSelectorResultPathOutputPath() {
            List<JsonNode> received = new CopyOnWriteArrayList<>();
            h.function("double", payload -> {
                received.add(payload);
                return Json.object().put("doubled", payload.get("n").asInt() * 2).put("extra", "dropped");
            });
            DescribeExecutionResponse d = run("""
                    {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                      "InputPath":"$.wrap.payload",
                      "Parameters":{"FunctionName":"double","Payload":{"n.$":"$.n","static":"s"}},
                      "ResultSelector":{"doubled.$":"$.Payload.doubled"},
                      "ResultPath":"$.wrap.result",
                      "OutputPath":"$.wrap",
                      "End":true}}}""", "{\"wrap\":{\"payload\":{\"n\":21,\"ignored\":true},\"tag\":\"t\"},\"other\":1}");
            assertEquals(List.of(json("{\"n\":21,\"static\":\"s\"}")), received, "Parameters see the InputPath selection");
            assertOutput("{\"payload\":{\"n\":21,\"ignored\":true},\"tag\":\"t\",\"result\":{\"doubled\":42}}", d);
        }
    }

    // ================================================================================================ path failures

    @Nested
    class PathFailures {
        @Test
        void parameterPathThatDoesNotResolveFailsWithParameterPathFailure() {
            assertFailedWith("States.ParameterPathFailure",
                    run(pass("\"Parameters\":{\"x.$\":\"$.missing.deeper\"}"), "{\"present\":1}"));
        }

        @Test
        void taskParameterPathThatDoesNotResolveFailsWithParameterPathFailure() {
            DescribeExecutionResponse d = run("""
                    {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                      "Parameters":{"FunctionName":"echo","Payload":{"x.$":"$.nope"}},"End":true}}}""", "{}");
            assertFailedWith("States.ParameterPathFailure", d);
        }

        @Test
        void contextPathThatDoesNotResolveFailsWithParameterPathFailure() {
            assertFailedWith("States.ParameterPathFailure",
                    run(pass("\"Parameters\":{\"x.$\":\"$$.Execution.NoSuchField\"}"), "{}"));
        }

        @Test
        void resultPathIntoANonObjectFailsWithResultPathMatchFailure() {
            DescribeExecutionResponse d = run("""
                    {"StartAt":"A","States":{
                      "A":{"Type":"Pass","Result":"just a string","Next":"B"},
                      "B":{"Type":"Pass","Result":1,"ResultPath":"$.x","End":true}}}""", "{}");
            assertFailedWith("States.ResultPathMatchFailure", d);
        }

        @Test
        void resultPathThroughAStringFieldFailsWithResultPathMatchFailure() {
            assertFailedWith("States.ResultPathMatchFailure",
                    run(pass("\"Result\":1,\"ResultPath\":\"$.a.b\""), "{\"a\":\"text\"}"));
        }

        @Test
        void inputPathThatDoesNotResolveFailsWithRuntime() {
            assertFailedWith("States.Runtime", run(pass("\"InputPath\":\"$.missing\""), "{\"a\":1}"));
        }

        @Test
        void outputPathThatDoesNotResolveFailsWithRuntime() {
            assertFailedWith("States.Runtime", run(pass("\"OutputPath\":\"$.missing\""), "{\"a\":1}"));
        }
    }

    // ================================================================================================ intrinsics

    @Nested
    class IntrinsicFunctions {
        private static final String INPUT = """
                {"name":"Arnav","template":"Hello, my name is {}.","escaped":"{\\"foo\\": \\"bar\\"}",
                 "obj":{"foo":"bar","n":[1,2]},"nums":[1,2,3,4,5,6,7,8,9],"dups":[1,2,3,3,3,3,3,3,4],
                 "text":"Data to encode","b64":"RGF0YSB0byBlbmNvZGU=","m1":{"a":1,"b":{"c":1}},"m2":{"b":{"d":2},"e":3},
                 "csv":"1,2,3,4,5","marks":"This.is+a,test=string"}""";

        @Test
        void everyIntrinsicFunctionComputesItsValue() throws Exception {
            DescribeExecutionResponse d = run(pass("""
                    "Parameters":{
                      "format.$":"States.Format('Hello, my name is {}.', $.name)",
                      "formatPath.$":"States.Format($.template, $.name)",
                      "parsed.$":"States.StringToJson($.escaped)",
                      "string.$":"States.JsonToString($.obj)",
                      "array.$":"States.Array('Foo', 2020, $.obj, null)",
                      "partition.$":"States.ArrayPartition($.nums, 4)",
                      "contains.$":"States.ArrayContains($.nums, 5)",
                      "containsNot.$":"States.ArrayContains($.nums, 42)",
                      "range.$":"States.ArrayRange(1, 9, 2)",
                      "item.$":"States.ArrayGetItem($.nums, 5)",
                      "length.$":"States.ArrayLength($.nums)",
                      "unique.$":"States.ArrayUnique($.dups)",
                      "encoded.$":"States.Base64Encode($.text)",
                      "decoded.$":"States.Base64Decode($.b64)",
                      "hash.$":"States.Hash($.text, 'SHA-256')",
                      "merged.$":"States.JsonMerge($.m1, $.m2, false)",
                      "random.$":"States.MathRandom(1, 999)",
                      "sum.$":"States.MathAdd(111, -1)",
                      "split.$":"States.StringSplit($.csv, ',')",
                      "splitMany.$":"States.StringSplit($.marks, '.+,=')",
                      "uuid.$":"States.UUID()",
                      "nested.$":"States.ArrayGetItem(States.StringSplit('a.b.c', '.'), 1)"}"""), INPUT);
            JsonNode out = succeededOutput(d);
            assertEquals("Hello, my name is Arnav.", out.get("format").asText());
            assertEquals("Hello, my name is Arnav.", out.get("formatPath").asText());
            assertEquals(json("{\"foo\":\"bar\"}"), out.get("parsed"));
            assertTrue(out.get("string").isTextual(), "JsonToString returns a string");
            assertEquals(json("{\"foo\":\"bar\",\"n\":[1,2]}"), json(out.get("string").asText()));
            assertEquals(json("[\"Foo\",2020,{\"foo\":\"bar\",\"n\":[1,2]},null]"), out.get("array"));
            assertEquals(json("[[1,2,3,4],[5,6,7,8],[9]]"), out.get("partition"));
            assertEquals(json("true"), out.get("contains"));
            assertEquals(json("false"), out.get("containsNot"));
            assertEquals(json("[1,3,5,7,9]"), out.get("range"));
            assertEquals(json("6"), out.get("item"));
            assertEquals(json("9"), out.get("length"));
            assertEquals(json("[1,2,3,4]"), out.get("unique"));
            assertEquals("RGF0YSB0byBlbmNvZGU=", out.get("encoded").asText());
            assertEquals("Data to encode", out.get("decoded").asText());
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest("Data to encode".getBytes(StandardCharsets.UTF_8)));
            assertEquals(sha256, out.get("hash").asText());
            assertEquals(json("{\"a\":1,\"b\":{\"d\":2},\"e\":3}"), out.get("merged"), "JsonMerge is shallow");
            JsonNode random = out.get("random");
            assertTrue(random.isIntegralNumber(), random::toString);
            assertTrue(random.asInt() >= 1 && random.asInt() <= 999, random::toString);
            assertEquals(json("110"), out.get("sum"));
            assertEquals(json("[\"1\",\"2\",\"3\",\"4\",\"5\"]"), out.get("split"));
            assertEquals(json("[\"This\",\"is\",\"a\",\"test\",\"string\"]"), out.get("splitMany"));
            assertTrue(out.get("uuid").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
                    out.get("uuid")::toString);
            assertEquals("b", out.get("nested").asText());
        }

        @Test
        void intrinsicsWorkInResultSelector() {
            h.function("list", payload -> json("[\"x\",\"y\",\"z\"]"));
            DescribeExecutionResponse d = run("""
                    {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                      "Parameters":{"FunctionName":"list"},
                      "ResultSelector":{"count.$":"States.ArrayLength($.Payload)","first.$":"States.ArrayGetItem($.Payload, 0)"},
                      "End":true}}}""", "{}");
            assertOutput("{\"count\":3,\"first\":\"x\"}", d);
        }

        @Test
        void uuidIsNewForEachCall() {
            JsonNode out = succeededOutput(run(pass("\"Parameters\":{\"a.$\":\"States.UUID()\",\"b.$\":\"States.UUID()\"}"), "{}"));
            assertFalse(out.get("a").asText().equals(out.get("b").asText()), out::toString);
        }

        @Test
        void invalidJsonInStringToJsonFailsWithIntrinsicFailure() {
            assertFailedWith("States.IntrinsicFailure",
                    run(pass("\"Parameters\":{\"x.$\":\"States.StringToJson($.bad)\"}"), "{\"bad\":\"{not json\"}"));
        }

        @Test
        void arrayRangeOfMoreThan1000ElementsFailsWithIntrinsicFailure() {
            assertFailedWith("States.IntrinsicFailure",
                    run(pass("\"Parameters\":{\"x.$\":\"States.ArrayRange(1, 2000, 1)\"}"), "{}"));
        }
    }

    // ================================================================================================ payload quota

    @Nested
    class PayloadLimit {
        @Test
        void stateOutputOverTheLimitFailsWithDataLimitExceeded() {
            String input = "{\"s\":\"" + repeat('a', 100_000) + "\"}";
            DescribeExecutionResponse d = run(pass("\"Parameters\":{\"big.$\":\"States.Array($.s, $.s, $.s)\"}"), input);
            assertFailedWith("States.DataLimitExceeded", d);
        }

        @Test
        void taskResultOverTheLimitIsNotCaughtByStatesAll() {
            h.function("huge", payload -> Json.NODES.textNode(repeat('x', 300_000)));
            String x = h.start(machine("""
                    {"StartAt":"T","States":{
                      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                        "Parameters":{"FunctionName":"huge"},
                        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
                      "Caught":{"Type":"Pass","End":true}}}"""), "x", "{}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertFailedWith("States.DataLimitExceeded", d);
            assertFalse(h.types(x).contains("PassStateEntered"), () -> h.types(x).toString());
        }

        @Test
        void startExecutionRefusesAnInputOverTheLimit() {
            String arn = machine(pass("\"Comment\":\"x\""));
            String input = "{\"s\":\"" + repeat('a', LIMIT) + "\"}";
            SfnException e = assertThrows(SfnException.class, () -> h.start(arn, "too-big", input));
            assertEquals("ValidationException", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
            assertTrue(h.sfn.listExecutions(b -> b.stateMachineArn(arn)).executions().isEmpty());
        }

        @Test
        void stateOutputLimitCountsUtf8BytesNotCharacters() {
            // 2 x 70,000 two-byte characters: 140,000 characters but 280,000 bytes of UTF-8
            String input = "{\"s\":\"" + repeat('\u00e9', 70_000) + "\"}";
            DescribeExecutionResponse d = run(pass("\"Parameters\":{\"big.$\":\"States.Array($.s, $.s)\"}"), input);
            assertFailedWith("States.DataLimitExceeded", d);
        }

        @Test
        void startExecutionInputLimitCountsUtf8Bytes() {
            String arn = machine(pass("\"Comment\":\"x\""));
            String input = "{\"s\":\"" + repeat('\u00e9', 140_000) + "\"}";
            SfnException e = assertThrows(SfnException.class, () -> h.start(arn, "too-big", input));
            assertEquals("ValidationException", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
        }

        @Test
        void inputOfExactlyTheLimitIsAccepted() {
            String prefix = "{\"s\":\"";
            String suffix = "\"}";
            String input = prefix + repeat('a', LIMIT - prefix.length() - suffix.length()) + suffix;
            assertEquals(LIMIT, input.getBytes(StandardCharsets.UTF_8).length);
            DescribeExecutionResponse d = run("{\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Succeed\"}}}", input);
            assertEquals(json(input), succeededOutput(d));
        }
    }

    // ================================================================================================ history

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
