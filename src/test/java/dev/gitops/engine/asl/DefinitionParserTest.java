package dev.gitops.engine.asl;

import dev.gitops.engine.EngineHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Unit tests of {@link DefinitionParser}: validation as CreateStateMachine does it, every problem reported at once. */
class DefinitionParserTest {
    private static final Function<TaskResource, String> ANY = resource -> null;

    /** One definition with many independent problems; each must be reported. */
    static final String MANY_PROBLEMS = """
            {
              "StartAt": "Work",
              "States": {
                "Work": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "f", "broken.$": "$.a[["},
                  "TimeoutSeconds": 60,
                  "HeartbeatSeconds": 60,
                  "ResultPath": "$.items[*]",
                  "Bogus": 1,
                  "Retry": [
                    {"ErrorEquals": ["States.ALL", "Custom.Error"]},
                    {"ErrorEquals": ["States.NoSuchError"]}
                  ],
                  "Catch": [
                    {"ErrorEquals": ["States.ALL"], "Next": "Hold"},
                    {"ErrorEquals": ["Custom.Error"], "Next": "Hold"}
                  ],
                  "Next": "Nowhere"
                },
                "Hold": {"Type": "Wait", "Seconds": 5, "Timestamp": "2026-01-01T00:00:00Z", "End": true},
                "Orphan": {"Type": "Pass", "End": true}
              }
            }""";

    private static List<Diagnostic> problems(String definition) {
        return problems(definition, ANY);
    }

    private static List<Diagnostic> problems(String definition, Function<TaskResource, String> check) {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> DefinitionParser.parse(definition, check));
        assertFalse(e.diagnostics().isEmpty(), "an InvalidDefinitionException without diagnostics");
        return e.diagnostics();
    }

    private static Diagnostic find(List<Diagnostic> diagnostics, String code, String location, String... words) {
        for (Diagnostic d : diagnostics) {
            if (d.code().equals(code) && d.location().equals(location)) {
                boolean all = true;
                for (String word : words) {
                    all &= d.message().contains(word);
                }
                if (all) {
                    return d;
                }
            }
        }
        return fail("no " + code + " at " + location + " mentioning " + List.of(words) + " among:\n"
                + diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<Diagnostic> d = problems(MANY_PROBLEMS);
        find(d, DefinitionParser.MISSING_TARGET, "/States/Work/Next", "Nowhere");
        find(d, DefinitionParser.UNREACHABLE, "/States/Orphan", "Orphan");
        find(d, DefinitionParser.SCHEMA, "/States/Work/Bogus", "Bogus");
        find(d, DefinitionParser.SCHEMA, "/States/Work/ResultPath", "ResultPath");
        find(d, DefinitionParser.SCHEMA, "/States/Work/Retry/0/ErrorEquals", "States.ALL", "alone");
        find(d, DefinitionParser.SCHEMA, "/States/Work/Retry/0", "States.ALL", "last");
        find(d, DefinitionParser.SCHEMA, "/States/Work/Catch/0", "States.ALL", "last");
        find(d, DefinitionParser.SCHEMA, "/States/Work/HeartbeatSeconds", "HeartbeatSeconds", "TimeoutSeconds");
        find(d, DefinitionParser.SCHEMA, "/States/Hold", "Seconds", "Timestamp");
        find(d, DefinitionParser.SCHEMA, "/States/Work/Parameters/broken.$", "broken.$", "JSONPath");
        find(d, DefinitionParser.SCHEMA, "/States/Work/Retry/1/ErrorEquals/0", "States.NoSuchError");
        assertTrue(d.size() >= 11, "expected at least 11 diagnostics, got " + d);
    }

    @Test
    void exceptionMessageListsEveryDiagnostic() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> DefinitionParser.parse(MANY_PROBLEMS, ANY));
        for (Diagnostic d : e.diagnostics()) {
            assertTrue(e.getMessage().contains(d.message()), "message lacks '" + d.message() + "': " + e.getMessage());
        }
    }

    @Test
    void retrierWithStatesAllAloneAndLastIsFine() throws Exception {
        Definition def = DefinitionParser.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                  "Parameters":{"FunctionName":"f"},
                  "Retry":[{"ErrorEquals":["States.Timeout","Custom"]},{"ErrorEquals":["States.ALL"]}],
                  "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"End":true},
                  "F":{"Type":"Fail","Error":"E"}}}""", ANY);
        State.Task task = assertInstanceOf(State.Task.class, def.state("T"));
        assertEquals(2, task.retry().size());
        assertEquals(List.of("States.ALL"), task.retry().get(1).errorEquals());
    }

    @Test
    void heartbeatBelowTimeoutIsFine() throws Exception {
        DefinitionParser.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                  "Parameters":{"FunctionName":"f"},"TimeoutSeconds":60,"HeartbeatSeconds":59,"End":true}}}""", ANY);
    }

    @Test
    void heartbeatGreaterThanTimeoutIsRefused() {
        List<Diagnostic> d = problems("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                  "Parameters":{"FunctionName":"f"},"TimeoutSeconds":10,"HeartbeatSeconds":20,"End":true}}}""");
        find(d, DefinitionParser.SCHEMA, "/States/T/HeartbeatSeconds", "HeartbeatSeconds");
    }

    @Test
    void waitWithTwoOfSecondsPathAndTimestampPathIsRefused() {
        List<Diagnostic> d = problems("""
                {"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","TimestampPath":"$.t","End":true}}}""");
        find(d, DefinitionParser.SCHEMA, "/States/W", "exactly one");
    }

    @Test
    void waitWithNoneOfTheFourIsRefused() {
        List<Diagnostic> d = problems("""
                {"StartAt":"W","States":{"W":{"Type":"Wait","End":true}}}""");
        find(d, DefinitionParser.SCHEMA, "/States/W", "exactly one");
    }

    @Test
    void missingStartAtTargetIsReported() {
        List<Diagnostic> d = problems("""
                {"StartAt":"Nope","States":{"A":{"Type":"Succeed"}}}""");
        find(d, DefinitionParser.MISSING_TARGET, "/StartAt", "Nope");
    }

    @Test
    void choiceAndCatchTargetsAreChecked() {
        List<Diagnostic> d = problems("""
                {"StartAt":"C","States":{
                  "C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"Gone1"}],"Default":"Gone2"},
                  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
                       "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Gone3"}],"End":true}}}""");
        find(d, DefinitionParser.MISSING_TARGET, "/States/C/Choices/0/Next", "Gone1");
        find(d, DefinitionParser.MISSING_TARGET, "/States/C/Default", "Gone2");
        find(d, DefinitionParser.MISSING_TARGET, "/States/T/Catch/0/Next", "Gone3");
        find(d, DefinitionParser.UNREACHABLE, "/States/T", "T");
    }

    @Test
    void invalidIntrinsicInParametersIsReported() {
        List<Diagnostic> d = problems("""
                {"StartAt":"P","States":{"P":{"Type":"Pass",
                  "Parameters":{"nested":{"bad.$":"States.NoSuchFunction($.a)"}, "ok.$":"States.Format('{}', $.a)"},
                  "End":true}}}""");
        find(d, DefinitionParser.SCHEMA, "/States/P/Parameters/nested/bad.$", "bad.$");
        assertEquals(1, d.size(), d.toString());
    }

    @Test
    void notJsonIsReportedAsInvalidJson() {
        List<Diagnostic> d = problems("{\"StartAt\": ");
        assertEquals(DefinitionParser.INVALID_JSON, d.get(0).code());
    }

    /** Jackson refuses nesting deeper than its limit; that is a diagnostic like any other parse error, not a crash. */
    @Test
    void tooDeeplyNestedJsonIsReportedAsInvalidJson() {
        String deep = "{\"StartAt\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";
        List<Diagnostic> d = problems(deep);
        assertEquals(DefinitionParser.INVALID_JSON, d.get(0).code(), d.toString());
    }

    @Test
    void notAnObjectIsRefused() {
        assertEquals(DefinitionParser.SCHEMA, problems("[1,2]").get(0).code());
        assertEquals(DefinitionParser.SCHEMA, problems("\"text\"").get(0).code());
    }

    @Test
    void missingStatesAndStartAtAreBothReported() {
        List<Diagnostic> d = problems("{\"Comment\":\"nothing\"}");
        find(d, DefinitionParser.SCHEMA, "/StartAt", "StartAt");
        find(d, DefinitionParser.SCHEMA, "/States", "States");
    }

    @Test
    void unknownTopLevelFieldIsReported() {
        List<Diagnostic> d = problems("""
                {"StartAt":"A","Extra":true,"States":{"A":{"Type":"Succeed"}}}""");
        find(d, DefinitionParser.SCHEMA, "/Extra", "Extra");
    }

    @Test
    void unknownStateTypeIsReported() {
        List<Diagnostic> d = problems("""
                {"StartAt":"A","States":{"A":{"Type":"Sleep","End":true}}}""");
        find(d, DefinitionParser.SCHEMA, "/States/A/Type", "Type");
    }

    // ------------------------------------------------------------------------------------------- refused features

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "distributed Map | {\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\"},\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Succeed\"}}},\"End\":true}}} | /States/M/ItemProcessor/ProcessorConfig/Mode | DISTRIBUTED",
            "ItemReader | {\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemReader\":{},\"ItemProcessor\":{\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Succeed\"}}},\"End\":true}}} | /States/M/ItemReader | ItemReader",
            "JSONata (top level) | {\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}} | /QueryLanguage | JSONata",
            "JSONata (state) | {\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\",\"QueryLanguage\":\"JSONata\"}}} | /States/A/QueryLanguage | JSONata",
            "activity | {\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:us-east-1:123456789012:activity:approve\",\"End\":true}}} | /States/T/Resource | activity:approve",
            "Assign | {\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Assign\":{\"x\":1},\"End\":true}}} | /States/A/Assign | Assign",
    })
    void refusedFeaturesAreNamed(String feature, String definition, String location, String word) {
        List<Diagnostic> d = problems(definition);
        Diagnostic found = find(d, DefinitionParser.UNSUPPORTED, location, word);
        assertTrue(found.message().contains("not supported"), found.toString());
    }

    @Test
    void refusedFeatureIsReportedAlongsideOtherProblems() {
        List<Diagnostic> d = problems("""
                {"StartAt":"P","States":{
                  "P":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:approve","Next":"A"},
                  "A":{"Type":"Pass","Assign":{"x":1},"Next":"Missing"}}}""");
        find(d, DefinitionParser.UNSUPPORTED, "/States/P/Resource", "activity:approve");
        find(d, DefinitionParser.UNSUPPORTED, "/States/A/Assign", "Assign");
        find(d, DefinitionParser.MISSING_TARGET, "/States/A/Next", "Missing");
    }

    @Test
    void resourceCheckCanRefuseAResource() {
        Function<TaskResource, String> onlyLambda = r -> r.service().equals("lambda") ? null
                : "The service '" + r.service() + "' is not available here";
        List<Diagnostic> d = problems("""
                {"StartAt":"Q","States":{
                  "Q":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"q","MessageBody":"m"},"Next":"L"},
                  "L":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}}}""",
                onlyLambda);
        find(d, DefinitionParser.UNSUPPORTED, "/States/Q/Resource", "The service 'sqs' is not available here");
        assertEquals(1, d.size(), d.toString());
    }

    @Test
    void resourceCheckSeesTheParsedResource() throws Exception {
        List<TaskResource> seen = new java.util.ArrayList<>();
        DefinitionParser.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters":{"FunctionName":"f","Payload":{"t.$":"$$.Task.Token"}},"End":true}}}""", r -> {
            seen.add(r);
            return null;
        });
        assertEquals(1, seen.size());
        assertEquals("lambda", seen.get(0).service());
        assertEquals("invoke", seen.get(0).action());
        assertEquals(TaskResource.Pattern.WAIT_FOR_TASK_TOKEN, seen.get(0).pattern());
    }

    // ------------------------------------------------------------------------------------------- valid definitions

    @Test
    void validDefinitionParses() throws Exception {
        Definition def = DefinitionParser.parse("""
                {
                  "Comment": "all supported state types",
                  "QueryLanguage": "JSONPath",
                  "TimeoutSeconds": 3600,
                  "StartAt": "Init",
                  "States": {
                    "Init": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.init", "Next": "Call"},
                    "Call": {
                      "Type": "Task",
                      "Resource": "arn:aws:states:::lambda:invoke",
                      "Parameters": {"FunctionName": "f", "Payload.$": "$", "Id.$": "States.UUID()"},
                      "ResultSelector": {"body.$": "$.Payload"},
                      "ResultPath": "$.call",
                      "TimeoutSeconds": 30,
                      "HeartbeatSeconds": 10,
                      "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 2, "MaxAttempts": 5,
                                 "BackoffRate": 1.5, "MaxDelaySeconds": 20, "JitterStrategy": "FULL"}],
                      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
                      "Next": "Route"
                    },
                    "Route": {
                      "Type": "Choice",
                      "Choices": [{"Variable": "$.init.n", "NumericEquals": 1, "Next": "Pause"}],
                      "Default": "Done"
                    },
                    "Pause": {"Type": "Wait", "Seconds": 5, "Next": "Done"},
                    "Done": {"Type": "Succeed", "OutputPath": "$.call"},
                    "Failed": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"}
                  }
                }""", ANY);
        assertEquals("Init", def.startAt());
        assertEquals(3600, def.timeoutSeconds());
        assertEquals("all supported state types", def.comment());
        assertEquals(List.of("Init", "Call", "Route", "Pause", "Done", "Failed"), List.copyOf(def.states().keySet()));
        State.Task call = assertInstanceOf(State.Task.class, def.state("Call"));
        assertEquals("Route", call.next());
        assertEquals(30, call.timeoutSeconds());
        assertEquals(10, call.heartbeatSeconds());
        assertEquals(1, call.retry().size());
        Retrier retrier = call.retry().get(0);
        assertEquals(2, retrier.intervalSeconds());
        assertEquals(5, retrier.maxAttempts());
        assertEquals(1.5, retrier.backoffRate());
        assertEquals(20, retrier.maxDelaySeconds());
        assertEquals(Retrier.Jitter.FULL, retrier.jitter());
        assertEquals("Failed", call.catchers().get(0).next());
        assertEquals("$.call", call.resultPath().path().text());
        assertNotNull(call.resource());
        State.Choice route = assertInstanceOf(State.Choice.class, def.state("Route"));
        assertEquals("Done", route.defaultNext());
        assertEquals("Pause", route.choices().get(0).next());
        State.Wait pause = assertInstanceOf(State.Wait.class, def.state("Pause"));
        assertEquals(5, pause.seconds());
        State.Fail failed = assertInstanceOf(State.Fail.class, def.state("Failed"));
        assertEquals("$.error.Error", failed.errorPath());
    }

    @Test
    void retrierDefaultsAreAwsDefaults() throws Exception {
        Definition def = DefinitionParser.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                  "Parameters":{"FunctionName":"f"},"Retry":[{"ErrorEquals":["States.TaskFailed"]}],"End":true}}}""", ANY);
        Retrier r = ((State.Task) def.state("T")).retry().get(0);
        assertEquals(1, r.intervalSeconds());
        assertEquals(3, r.maxAttempts());
        assertEquals(2.0, r.backoffRate());
        assertEquals(Retrier.Jitter.NONE, r.jitter());
    }

    @Test
    void nullPathsMeanDiscard() throws Exception {
        Definition def = DefinitionParser.parse("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":null,"OutputPath":null,"ResultPath":null,"End":true}}}""",
                ANY);
        State.Pass pass = (State.Pass) def.state("P");
        assertTrue(pass.inputPath().discards());
        assertTrue(pass.outputPath().discards());
        assertTrue(pass.resultPath().discards());
    }

    // ------------------------------------------------------------------------------------------- through the API

    @Test
    void createStateMachineAnswersInvalidDefinitionWithEveryProblem() {
        try (EngineHarness h = EngineHarness.manual()) {
            software.amazon.awssdk.services.sfn.model.InvalidDefinitionException e = assertThrows(
                    software.amazon.awssdk.services.sfn.model.InvalidDefinitionException.class,
                    () -> h.machine("many-problems", MANY_PROBLEMS));
            assertEquals(400, e.statusCode());
            String message = e.awsErrorDetails().errorMessage();
            List<Diagnostic> expected = problems(MANY_PROBLEMS);
            for (Diagnostic d : expected) {
                assertTrue(message.contains(d.message()), "message lacks '" + d.message() + "': " + message);
                assertTrue(message.contains(d.location()), "message lacks '" + d.location() + "': " + message);
            }
            for (String word : List.of("Nowhere", "Orphan", "Bogus", "ResultPath", "States.ALL", "HeartbeatSeconds",
                    "Timestamp", "broken.$", "States.NoSuchError")) {
                assertTrue(message.contains(word), "message lacks '" + word + "': " + message);
            }
            assertThrows(software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException.class,
                    () -> h.sfn.describeStateMachine(b -> b.stateMachineArn(
                            "arn:aws:states:us-east-1:123456789012:stateMachine:many-problems")));
        }
    }

    @Test
    void createStateMachineNamesRefusedFeatures() {
        try (EngineHarness h = EngineHarness.manual()) {
            software.amazon.awssdk.services.sfn.model.InvalidDefinitionException e = assertThrows(
                    software.amazon.awssdk.services.sfn.model.InvalidDefinitionException.class,
                    () -> h.machine("refused", """
                            {"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},
                              "StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}"""));
            assertEquals(400, e.statusCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("DISTRIBUTED"), e.awsErrorDetails().errorMessage());
        }
    }
}
