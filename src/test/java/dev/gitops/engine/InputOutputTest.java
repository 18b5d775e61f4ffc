package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.tasks.FunctionError;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gitops.engine.EngineHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests of a state's input and output processing as AWS Step Functions does it: InputPath, Parameters,
 * ResultSelector, ResultPath, OutputPath and the context object, the errors of paths that do not resolve, and the
 * 256 KiB payload quota.
 */
class InputOutputTest extends StatesLanguageTestBase {
    private static final int LIMIT = 262_144;

    private static String repeat(char c, int count) {
        return String.valueOf(c).repeat(count);
    }

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
            h.time.awaitTimerAt(START.plusSeconds(5));
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
}
