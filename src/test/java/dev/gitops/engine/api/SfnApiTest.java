package dev.gitops.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.EngineHarness;
import dev.gitops.engine.data.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDeletingException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.StateMachineTypeNotSupportedException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sfn.model.UpdateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ValidationException;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests of the AWS-protocol API: through the AWS SDK v2, through raw HTTP, and through the AWS CLI. Every
 * refusal must carry AWS's error code, HTTP 400 and a message naming the problem.
 */
class SfnApiTest {
    private static final String ROLE = EngineHarness.ROLE;
    private static final String PREFIX = "arn:aws:states:us-east-1:123456789012:";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Waits an hour, then succeeds: stays RUNNING until the test advances time. */
    private static final String WAIT_HOUR = """
            {"StartAt":"Hold","States":{
              "Hold":{"Type":"Wait","Seconds":3600,"Next":"Done"},
              "Done":{"Type":"Succeed"}}}""";

    private static final String PASS = """
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.a","Next":"B"},
              "B":{"Type":"Succeed"}}}""";

    /** {"fail":..} fails, {"wait":..} waits an hour, anything else succeeds at once. */
    private static final String ROUTE = """
            {"StartAt":"Route","States":{
              "Route":{"Type":"Choice","Choices":[
                {"Variable":"$.fail","IsPresent":true,"Next":"Boom"},
                {"Variable":"$.wait","IsPresent":true,"Next":"Hold"}],"Default":"Done"},
              "Boom":{"Type":"Fail","Error":"Custom.Broken","Cause":"it broke"},
              "Hold":{"Type":"Wait","Seconds":3600,"Next":"Done"},
              "Done":{"Type":"Succeed"}}}""";

    private static String versioned(String version) {
        return """
                {"StartAt":"Hold","States":{
                  "Hold":{"Type":"Wait","Seconds":10,"Next":"Mark"},
                  "Mark":{"Type":"Pass","Result":"%s","ResultPath":"$.version","End":true}}}""".formatted(version);
    }

    private static <T extends SfnException> T refused(Class<T> type, Executable call, String... words) {
        return refusedAs("", type, call, words);
    }

    /** As {@link #refused}, with a label naming the case in the failure message. */
    private static <T extends SfnException> T refusedAs(String label, Class<T> type, Executable call, String... words) {
        T e = assertThrows(type, call, label);
        assertEquals(400, e.statusCode(), label + ": " + e);
        String message = e.awsErrorDetails().errorMessage();
        assertNotNull(message, "no message in " + e);
        for (String word : words) {
            assertTrue(message.contains(word), "message '" + message + "' does not name '" + word + "'");
        }
        return e;
    }

    // =============================================================================================== state machines

    @Test
    void createAndDescribeStateMachine() {
        try (EngineHarness h = EngineHarness.manual()) {
            CreateStateMachineResponse created = h.sfn.createStateMachine(b -> b.name("orders").definition(PASS).roleArn(ROLE));
            assertEquals(PREFIX + "stateMachine:orders", created.stateMachineArn());
            assertEquals(T0, created.creationDate());

            DescribeStateMachineResponse d = h.sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));
            assertEquals(created.stateMachineArn(), d.stateMachineArn());
            assertEquals("orders", d.name());
            assertEquals(PASS, d.definition());
            assertEquals(ROLE, d.roleArn());
            assertEquals(StateMachineStatus.ACTIVE, d.status());
            assertEquals(StateMachineType.STANDARD, d.type());
            assertEquals(T0, d.creationDate());
            assertNotNull(d.revisionId());
            assertFalse(d.revisionId().isBlank());
        }
    }

    @Test
    void createTwiceWithIdenticalArgumentsIsIdempotent() {
        try (EngineHarness h = EngineHarness.manual()) {
            CreateStateMachineResponse first = h.sfn.createStateMachine(b -> b.name("same").definition(PASS).roleArn(ROLE));
            h.time.advance(Duration.ofMinutes(5));
            CreateStateMachineResponse second = h.sfn.createStateMachine(b -> b.name("same").definition(PASS).roleArn(ROLE));
            assertEquals(first.stateMachineArn(), second.stateMachineArn());
            assertEquals(first.creationDate(), second.creationDate());
            assertEquals(1, h.sfn.listStateMachines(b -> { }).stateMachines().size());
        }
    }

    @Test
    void createAgainWithADifferentDefinitionIsStateMachineAlreadyExists() {
        try (EngineHarness h = EngineHarness.manual()) {
            h.machine("taken", PASS);
            refused(StateMachineAlreadyExistsException.class,
                    () -> h.sfn.createStateMachine(b -> b.name("taken").definition(WAIT_HOUR).roleArn(ROLE)), "taken");
            assertEquals(PASS, h.sfn.describeStateMachine(b -> b.stateMachineArn(PREFIX + "stateMachine:taken")).definition());
        }
    }

    /**
     * AWS: "If a following request has a different roleArn or tags, Step Functions will ignore these differences and
     * treat it as an idempotent request of the previous. In this case, roleArn and tags will not be updated."
     */
    @Test
    void createAgainWithOnlyADifferentRoleIsIdempotentAndKeepsTheRole() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("roles", PASS);
            String other = "arn:aws:iam::123456789012:role/another";
            CreateStateMachineResponse again = h.sfn.createStateMachine(b -> b.name("roles").definition(PASS).roleArn(other));
            assertEquals(arn, again.stateMachineArn());
            assertEquals(ROLE, h.sfn.describeStateMachine(b -> b.stateMachineArn(arn)).roleArn());
        }
    }

    @Test
    void expressIsStateMachineTypeNotSupported() {
        try (EngineHarness h = EngineHarness.manual()) {
            refused(StateMachineTypeNotSupportedException.class, () -> h.sfn.createStateMachine(b -> b.name("fast")
                    .definition(PASS).roleArn(ROLE).type(StateMachineType.EXPRESS)), "EXPRESS");
            refused(ValidationException.class, () -> h.sfn.createStateMachine(b -> b.name("odd")
                    .definition(PASS).roleArn(ROLE).type("SLOW")), "type");
            assertTrue(h.sfn.listStateMachines(b -> { }).stateMachines().isEmpty());
            // STANDARD, spelled out, is fine
            h.sfn.createStateMachine(b -> b.name("std").definition(PASS).roleArn(ROLE).type(StateMachineType.STANDARD));
        }
    }

    @Test
    void createRefusesBadNamesRolesAndDefinitions() {
        try (EngineHarness h = EngineHarness.manual()) {
            for (String bad : List.of("has space", "a:b", "x".repeat(81), "", "new\nline", "a/b", "a*b")) {
                refused(InvalidNameException.class,
                        () -> h.sfn.createStateMachine(b -> b.name(bad).definition(PASS).roleArn(ROLE)), "Invalid Name");
            }
            refused(InvalidArnException.class,
                    () -> h.sfn.createStateMachine(b -> b.name("r").definition(PASS).roleArn("not-a-role")), "not-a-role");
            refused(InvalidDefinitionException.class,
                    () -> h.sfn.createStateMachine(b -> b.name("d").definition("{\"StartAt\":").roleArn(ROLE)), "JSON");
            refused(InvalidDefinitionException.class, () -> h.sfn.createStateMachine(b -> b.name("d")
                    .definition("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"}}}").roleArn(ROLE)), "B");
            h.sfn.createStateMachine(b -> b.name("x".repeat(80)).definition(PASS).roleArn(ROLE));
        }
    }

    @Test
    void listStateMachinesPages() {
        try (EngineHarness h = EngineHarness.manual()) {
            List<String> names = List.of("m0", "m1", "m2", "m3", "m4");
            for (String name : names) {
                h.machine(name, PASS);
                h.time.advance(Duration.ofSeconds(1));
            }
            List<String> seen = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String t = token;
                ListStateMachinesResponse page = h.sfn.listStateMachines(b -> b.maxResults(2).nextToken(t));
                assertTrue(page.stateMachines().size() <= 2, page.toString());
                for (StateMachineListItem item : page.stateMachines()) {
                    seen.add(item.name());
                    assertEquals(PREFIX + "stateMachine:" + item.name(), item.stateMachineArn());
                    assertEquals(StateMachineType.STANDARD, item.type());
                    assertNotNull(item.creationDate());
                }
                token = page.nextToken();
                pages++;
            } while (token != null);
            assertEquals(3, pages);
            assertEquals(new HashSet<>(names), new HashSet<>(seen));
            assertEquals(names.size(), seen.size(), "duplicates across pages: " + seen);

            assertEquals(5, h.sfn.listStateMachines(b -> { }).stateMachines().size());
            assertNull(h.sfn.listStateMachines(b -> { }).nextToken());
            List<String> viaPaginator = new ArrayList<>();
            h.sfn.listStateMachinesPaginator(b -> b.maxResults(1)).stateMachines().forEach(m -> viaPaginator.add(m.name()));
            assertEquals(seen, viaPaginator);

            refused(InvalidTokenException.class, () -> h.sfn.listStateMachines(b -> b.nextToken("not-a-token")));
            refused(ValidationException.class, () -> h.sfn.listStateMachines(b -> b.maxResults(1001)), "maxResults");
            refused(ValidationException.class, () -> h.sfn.listStateMachines(b -> b.maxResults(-1)), "maxResults");
        }
    }

    @Test
    void updateStateMachineKeepsRunningExecutionsOnTheirDefinition() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("versions", versioned("v1"));
            String before = h.sfn.describeStateMachine(b -> b.stateMachineArn(arn)).revisionId();
            String x1 = h.start(arn, "first", "{}");
            h.time.awaitPending(1);

            h.time.advance(Duration.ofSeconds(1));
            UpdateStateMachineResponse updated = h.sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(versioned("v2")));
            assertEquals(T0.plusSeconds(1), updated.updateDate());
            assertNotNull(updated.revisionId());
            assertNotEquals(before, updated.revisionId());
            DescribeStateMachineResponse d = h.sfn.describeStateMachine(b -> b.stateMachineArn(arn));
            assertEquals(versioned("v2"), d.definition());
            assertEquals(updated.revisionId(), d.revisionId());
            assertEquals(T0, d.creationDate());

            String x2 = h.start(arn, "second", "{}");
            h.time.awaitPending(2);
            h.time.advance(Duration.ofSeconds(10));
            DescribeExecutionResponse d1 = h.awaitEnd(x1);
            DescribeExecutionResponse d2 = h.awaitEnd(x2);
            assertEquals(ExecutionStatus.SUCCEEDED, d1.status(), d1.cause());
            assertEquals(ExecutionStatus.SUCCEEDED, d2.status(), d2.cause());
            assertEquals("{\"version\":\"v1\"}", d1.output());
            assertEquals("{\"version\":\"v2\"}", d2.output());

            String role = "arn:aws:iam::123456789012:role/changed";
            h.sfn.updateStateMachine(b -> b.stateMachineArn(arn).roleArn(role));
            d = h.sfn.describeStateMachine(b -> b.stateMachineArn(arn));
            assertEquals(role, d.roleArn());
            assertEquals(versioned("v2"), d.definition());
        }
    }

    @Test
    void updateStateMachineRefusals() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("upd", PASS);
            refused(MissingRequiredParameterException.class, () -> h.sfn.updateStateMachine(b -> b.stateMachineArn(arn)));
            refused(StateMachineDoesNotExistException.class, () -> h.sfn.updateStateMachine(b -> b
                    .stateMachineArn(PREFIX + "stateMachine:ghost").definition(PASS)), "ghost");
            refused(InvalidArnException.class, () -> h.sfn.updateStateMachine(b -> b.stateMachineArn("ghost").definition(PASS)),
                    "ghost");
            refused(InvalidDefinitionException.class, () -> h.sfn.updateStateMachine(b -> b.stateMachineArn(arn)
                    .definition("{\"StartAt\":\"Nope\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}")), "Nope");
            assertEquals(PASS, h.sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition());
        }
    }

    @Test
    void deleteStateMachine() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("doomed", PASS);
            h.machine("kept", PASS);
            h.sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
            refused(StateMachineDoesNotExistException.class, () -> h.sfn.describeStateMachine(b -> b.stateMachineArn(arn)),
                    "doomed");
            refused(StateMachineDoesNotExistException.class, () -> h.start(arn, "late", "{}"), "doomed");
            assertEquals(List.of("kept"),
                    h.sfn.listStateMachines(b -> { }).stateMachines().stream().map(StateMachineListItem::name).toList());
            // the name is free again
            assertEquals(arn, h.machine("doomed", WAIT_HOUR));
            assertEquals(WAIT_HOUR, h.sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition());
            refused(InvalidArnException.class, () -> h.sfn.deleteStateMachine(b -> b.stateMachineArn("doomed")));
        }
    }

    @Test
    void deleteWithARunningExecutionMarksDeletingAndTerminatesItAtItsNextTransition() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("busy", WAIT_HOUR);
            String x = h.start(arn, "run", "{}");
            h.time.awaitPending(1);
            h.sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
            assertEquals(StateMachineStatus.DELETING, h.sfn.describeStateMachine(b -> b.stateMachineArn(arn)).status());
            refused(StateMachineDeletingException.class, () -> h.start(arn, "another", "{}"), "busy");
            h.time.advance(Duration.ofHours(1));
            DescribeExecutionResponse ended = h.awaitEnd(x);
            assertEquals(ExecutionStatus.FAILED, ended.status());
            assertEquals("States.Runtime", ended.error());
            assertEquals("State machine busy has been deleted.", ended.cause());
            long deadline = System.currentTimeMillis() + 10_000;
            while (true) {
                try {
                    h.sfn.describeStateMachine(b -> b.stateMachineArn(arn));
                } catch (StateMachineDoesNotExistException gone) {
                    break;
                }
                assertTrue(System.currentTimeMillis() < deadline, "the state machine was never deleted");
                Thread.sleep(10);
            }
        }
    }

    // =============================================================================================== StartExecution

    @Test
    void startWithSameNameAndInputWhileRunningReturnsTheSameExecution() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("idem", WAIT_HOUR);
            StartExecutionResponse first = h.sfn.startExecution(b -> b.stateMachineArn(arn).name("once").input("{\"a\":1}"));
            assertEquals(PREFIX + "execution:idem:once", first.executionArn());
            assertEquals(T0, first.startDate());
            h.time.awaitPending(1);
            h.time.advance(Duration.ofMinutes(1));
            StartExecutionResponse again = h.sfn.startExecution(b -> b.stateMachineArn(arn).name("once").input("{\"a\":1}"));
            assertEquals(first.executionArn(), again.executionArn());
            assertEquals(first.startDate(), again.startDate());
            assertEquals(1, h.sfn.listExecutions(b -> b.stateMachineArn(arn)).executions().size());
            assertEquals(1, h.types(first.executionArn()).stream().filter("ExecutionStarted"::equals).count());
        }
    }

    @Test
    void startWithSameNameAndDifferentInputWhileRunningIsExecutionAlreadyExists() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("dup", WAIT_HOUR);
            h.start(arn, "once", "{\"a\":1}");
            refused(ExecutionAlreadyExistsException.class, () -> h.start(arn, "once", "{\"a\":2}"), "once");
            assertEquals("{\"a\":1}", h.sfn.describeExecution(b -> b.executionArn(PREFIX + "execution:dup:once")).input());
        }
    }

    @Test
    void startWithTheNameOfAClosedExecutionIsExecutionAlreadyExists() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("closed", PASS);
            String x = h.start(arn, "done", "{}");
            assertEquals(ExecutionStatus.SUCCEEDED, h.awaitEnd(x).status());
            refused(ExecutionAlreadyExistsException.class, () -> h.start(arn, "done", "{}"), "done");
            refused(ExecutionAlreadyExistsException.class, () -> h.start(arn, "done", "{\"other\":true}"), "done");
        }
    }

    @Test
    void startWithoutANameUsesAUuid() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("anon", PASS);
            StartExecutionResponse a = h.sfn.startExecution(b -> b.stateMachineArn(arn));
            StartExecutionResponse b2 = h.sfn.startExecution(b -> b.stateMachineArn(arn).input("{}"));
            String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
            assertTrue(a.executionArn().matches(java.util.regex.Pattern.quote(PREFIX + "execution:anon:") + uuid), a.executionArn());
            assertNotEquals(a.executionArn(), b2.executionArn());
            DescribeExecutionResponse d = h.awaitEnd(a.executionArn());
            assertTrue(d.name().matches(uuid), d.name());
            assertEquals("{}", d.input(), "no input means {}");
            assertEquals(ExecutionStatus.SUCCEEDED, d.status());
        }
    }

    @Test
    void invalidJsonInputIsInvalidExecutionInput() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("inputs", PASS);
            for (String bad : List.of("{", "not json", "{\"a\":1} extra", "{'a':1}", "[1,")) {
                refusedAs("input '" + bad + "'", InvalidExecutionInputException.class, () -> h.start(arn, "bad", bad));
            }
            assertTrue(h.sfn.listExecutions(b -> b.stateMachineArn(arn)).executions().isEmpty());
        }
    }

    /**
     * "" and blanks are not JSON texts (RFC 8259 requires a value), so AWS refuses them as input; accepted, they start
     * an execution whose input is missing.
     */
    @Test
    void emptyOrBlankInputIsInvalidExecutionInput() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("blank", PASS);
            List<String> accepted = new ArrayList<>();
            int i = 0;
            for (String bad : List.of("", "   ", "\n")) {
                String name = "blank" + i++;
                try {
                    refusedAs("input '" + bad + "'", InvalidExecutionInputException.class, () -> h.start(arn, name, bad));
                } catch (AssertionError e) {
                    accepted.add(e.getMessage());
                }
            }
            assertEquals(List.of(), accepted, "inputs that were not refused with InvalidExecutionInput");
            assertTrue(h.sfn.listExecutions(b -> b.stateMachineArn(arn)).executions().isEmpty());
        }
    }

    @Test
    void badExecutionNamesAreInvalidName() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("names", PASS);
            for (String bad : List.of("has space", "a:b", "x".repeat(81), "tab\there", "a{b}", "q?", "a#b", "a\u0007b", "")) {
                refusedAs("name '" + bad + "'", InvalidNameException.class, () -> h.start(arn, bad, "{}"), "Invalid Name");
            }
            assertEquals(PREFIX + "execution:names:" + "y".repeat(80), h.start(arn, "y".repeat(80), "{}"));
            assertEquals(PREFIX + "execution:names:ok-name_1.x", h.start(arn, "ok-name_1.x", "{}"));
        }
    }

    @Test
    void malformedArnsAreInvalidArn() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("arns", PASS);
            String x = h.start(arn, "one", "{}");
            List<String> badMachineArns = List.of("not-an-arn", "arns", x, PREFIX + "stateMachine:",
                    "arn:aws:lambda:us-east-1:123456789012:function:arns", PREFIX + "activity:arns");
            for (String bad : badMachineArns) {
                refused(InvalidArnException.class, () -> h.start(bad, "n", "{}"), bad);
                refused(InvalidArnException.class, () -> h.sfn.describeStateMachine(b -> b.stateMachineArn(bad)), bad);
                refused(InvalidArnException.class, () -> h.sfn.listExecutions(b -> b.stateMachineArn(bad)), bad);
            }
            for (String bad : List.of("not-an-arn", arn, PREFIX + "execution:arns", PREFIX + "execution:arns:",
                    "arn:aws:states:us-east-1:123456789012:stateMachine:arns:one")) {
                refused(InvalidArnException.class, () -> h.sfn.describeExecution(b -> b.executionArn(bad)), bad);
                refused(InvalidArnException.class, () -> h.sfn.getExecutionHistory(b -> b.executionArn(bad)), bad);
                refused(InvalidArnException.class, () -> h.sfn.stopExecution(b -> b.executionArn(bad)), bad);
            }
        }
    }

    @Test
    void unknownThingsDoNotExist() {
        try (EngineHarness h = EngineHarness.manual()) {
            String ghost = PREFIX + "stateMachine:ghost";
            refused(StateMachineDoesNotExistException.class, () -> h.start(ghost, "n", "{}"), ghost);
            refused(StateMachineDoesNotExistException.class, () -> h.sfn.describeStateMachine(b -> b.stateMachineArn(ghost)), ghost);
            refused(StateMachineDoesNotExistException.class, () -> h.sfn.listExecutions(b -> b.stateMachineArn(ghost)), ghost);
            String arn = h.machine("real", PASS);
            String missing = PREFIX + "execution:real:missing";
            refused(ExecutionDoesNotExistException.class, () -> h.sfn.describeExecution(b -> b.executionArn(missing)), missing);
            refused(ExecutionDoesNotExistException.class, () -> h.sfn.getExecutionHistory(b -> b.executionArn(missing)), missing);
            refused(ExecutionDoesNotExistException.class, () -> h.sfn.stopExecution(b -> b.executionArn(missing)), missing);
            assertNotNull(arn);
        }
    }

    // =============================================================================================== DescribeExecution

    @Test
    void describeSucceededExecution() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("desc", """
                    {"StartAt":"Hold","States":{
                      "Hold":{"Type":"Wait","Seconds":10,"Next":"Mark"},
                      "Mark":{"Type":"Pass","Result":"done","ResultPath":"$.mark","End":true}}}""");
            String x = h.start(arn, "ok", "{\"in\":1}");
            h.time.awaitPending(1);
            DescribeExecutionResponse running = h.sfn.describeExecution(b -> b.executionArn(x));
            assertEquals(ExecutionStatus.RUNNING, running.status());
            assertEquals(T0, running.startDate());
            assertNull(running.stopDate());
            assertNull(running.output(), "no output while RUNNING");
            assertEquals("{\"in\":1}", running.input());

            h.time.advance(Duration.ofSeconds(10));
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(x, d.executionArn());
            assertEquals(arn, d.stateMachineArn());
            assertEquals("ok", d.name());
            assertEquals(ExecutionStatus.SUCCEEDED, d.status());
            assertEquals("{\"in\":1}", d.input());
            assertEquals("{\"in\":1,\"mark\":\"done\"}", d.output());
            assertEquals(T0, d.startDate());
            assertEquals(T0.plusSeconds(10), d.stopDate());
            assertNull(d.error());
            assertNull(d.cause());
        }
    }

    @Test
    void describeFailedAndAbortedExecutions() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("route", ROUTE);
            String failed = h.start(arn, "bad", "{\"fail\":true}");
            DescribeExecutionResponse f = h.awaitEnd(failed);
            assertEquals(ExecutionStatus.FAILED, f.status());
            assertEquals("Custom.Broken", f.error());
            assertEquals("it broke", f.cause());
            assertNull(f.output(), "output only when SUCCEEDED");
            assertNotNull(f.stopDate());

            String held = h.start(arn, "held", "{\"wait\":true}");
            h.time.awaitPending(1);
            h.time.advance(Duration.ofSeconds(5));
            Instant stopped = h.sfn.stopExecution(b -> b.executionArn(held).error("Op.Stop").cause("by the test")).stopDate();
            assertEquals(T0.plusSeconds(5), stopped);
            DescribeExecutionResponse a = h.awaitEnd(held);
            assertEquals(ExecutionStatus.ABORTED, a.status());
            assertEquals("Op.Stop", a.error());
            assertEquals("by the test", a.cause());
            assertNull(a.output());
            assertEquals(stopped, a.stopDate());
        }
    }

    // =============================================================================================== ListExecutions

    @Test
    void listExecutionsNewestFirstWithStatusFilterAndPaging() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("many", ROUTE);
            List<String> inputs = List.of("{}", "{\"wait\":1}", "{\"fail\":1}", "{}", "{\"wait\":1}", "{}", "{\"fail\":1}");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                String name = "x" + i;
                names.add(name);
                String x = h.start(arn, name, inputs.get(i));
                if (!inputs.get(i).contains("wait")) {
                    h.awaitEnd(x);
                }
                h.time.advance(Duration.ofSeconds(1));
            }
            List<String> newestFirst = new ArrayList<>(names);
            java.util.Collections.reverse(newestFirst);

            ListExecutionsResponse all = h.sfn.listExecutions(b -> b.stateMachineArn(arn));
            assertEquals(newestFirst, all.executions().stream().map(ExecutionListItem::name).toList());
            assertNull(all.nextToken());
            ExecutionListItem newest = all.executions().get(0);
            assertEquals(PREFIX + "execution:many:x6", newest.executionArn());
            assertEquals(arn, newest.stateMachineArn());
            assertEquals(ExecutionStatus.FAILED, newest.status());
            assertEquals(T0.plusSeconds(6), newest.startDate());
            assertNotNull(newest.stopDate());

            assertEquals(List.of("x5", "x3", "x0"), names(h.sfn.listExecutions(b -> b.stateMachineArn(arn)
                    .statusFilter(ExecutionStatus.SUCCEEDED))));
            assertEquals(List.of("x4", "x1"), names(h.sfn.listExecutions(b -> b.stateMachineArn(arn)
                    .statusFilter(ExecutionStatus.RUNNING))));
            assertEquals(List.of("x6", "x2"), names(h.sfn.listExecutions(b -> b.stateMachineArn(arn)
                    .statusFilter(ExecutionStatus.FAILED))));
            assertEquals(List.of(), names(h.sfn.listExecutions(b -> b.stateMachineArn(arn)
                    .statusFilter(ExecutionStatus.ABORTED))));
            for (ExecutionListItem item : h.sfn.listExecutions(b -> b.stateMachineArn(arn)
                    .statusFilter(ExecutionStatus.RUNNING)).executions()) {
                assertNull(item.stopDate());
            }

            List<String> paged = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String t = token;
                ListExecutionsResponse page = h.sfn.listExecutions(b -> b.stateMachineArn(arn).maxResults(3).nextToken(t));
                assertTrue(page.executions().size() <= 3);
                paged.addAll(names(page));
                token = page.nextToken();
                pages++;
            } while (token != null);
            assertEquals(3, pages);
            assertEquals(newestFirst, paged);

            List<String> succeededPaged = new ArrayList<>();
            h.sfn.listExecutionsPaginator(b -> b.stateMachineArn(arn).statusFilter(ExecutionStatus.SUCCEEDED).maxResults(1))
                    .executions().forEach(e -> succeededPaged.add(e.name()));
            assertEquals(List.of("x5", "x3", "x0"), succeededPaged);

            refused(InvalidTokenException.class, () -> h.sfn.listExecutions(b -> b.stateMachineArn(arn).nextToken("bogus!!")));
            refused(InvalidTokenException.class, () -> h.sfn.listExecutions(b -> b.stateMachineArn(arn)
                    .nextToken(Base64.getEncoder().encodeToString("something else".getBytes(StandardCharsets.UTF_8)))));
            refused(ValidationException.class, () -> h.sfn.listExecutions(b -> b.stateMachineArn(arn).statusFilter("DONE")),
                    "statusFilter");
        }
    }

    private static List<String> names(ListExecutionsResponse response) {
        return response.executions().stream().map(ExecutionListItem::name).toList();
    }

    // =============================================================================================== GetExecutionHistory

    @Test
    void executionHistoryOrderPagingAndExecutionData() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("hist", PASS);
            String x = h.start(arn, "one", "{\"in\":true}");
            assertEquals(ExecutionStatus.SUCCEEDED, h.awaitEnd(x).status());

            List<HistoryEvent> forward = h.sfn.getExecutionHistory(b -> b.executionArn(x)).events();
            assertTrue(forward.size() >= 4, forward.toString());
            assertEquals("ExecutionStarted", forward.get(0).typeAsString());
            assertEquals("ExecutionSucceeded", forward.get(forward.size() - 1).typeAsString());
            for (int i = 0; i < forward.size(); i++) {
                assertEquals(i + 1, forward.get(i).id());
            }
            assertEquals("{\"in\":true}", forward.get(0).executionStartedEventDetails().input());
            assertEquals("{\"in\":true,\"a\":{\"x\":1}}",
                    forward.get(forward.size() - 1).executionSucceededEventDetails().output());

            List<HistoryEvent> reversed = h.sfn.getExecutionHistory(b -> b.executionArn(x).reverseOrder(true)).events();
            List<HistoryEvent> expectedReversed = new ArrayList<>(forward);
            java.util.Collections.reverse(expectedReversed);
            assertEquals(expectedReversed, reversed);
            assertEquals("ExecutionSucceeded", reversed.get(0).typeAsString());

            assertEquals(forward, pageThrough(h, x, false, 2));
            assertEquals(expectedReversed, pageThrough(h, x, true, 2));
            assertEquals(forward, pageThrough(h, x, false, 1));

            List<HistoryEvent> noData = h.sfn.getExecutionHistory(b -> b.executionArn(x).includeExecutionData(false)).events();
            assertEquals(forward.size(), noData.size());
            for (HistoryEvent e : noData) {
                if (e.executionStartedEventDetails() != null) {
                    assertNull(e.executionStartedEventDetails().input(), e.toString());
                }
                if (e.stateEnteredEventDetails() != null) {
                    assertNull(e.stateEnteredEventDetails().input(), e.toString());
                    assertNotNull(e.stateEnteredEventDetails().name());
                }
                if (e.stateExitedEventDetails() != null) {
                    assertNull(e.stateExitedEventDetails().output(), e.toString());
                    assertNotNull(e.stateExitedEventDetails().name());
                }
                if (e.executionSucceededEventDetails() != null) {
                    assertNull(e.executionSucceededEventDetails().output(), e.toString());
                }
            }
            assertEquals(forward.stream().map(HistoryEvent::typeAsString).toList(),
                    noData.stream().map(HistoryEvent::typeAsString).toList());
            List<HistoryEvent> withData = h.sfn.getExecutionHistory(b -> b.executionArn(x).includeExecutionData(true)).events();
            assertEquals(forward, withData);

            refused(InvalidTokenException.class, () -> h.sfn.getExecutionHistory(b -> b.executionArn(x).nextToken("nope")));
            refused(ValidationException.class, () -> h.sfn.getExecutionHistory(b -> b.executionArn(x).maxResults(5000)),
                    "maxResults");
        }
    }

    private static List<HistoryEvent> pageThrough(EngineHarness h, String x, boolean reverse, int size) {
        List<HistoryEvent> events = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            GetExecutionHistoryResponse page = h.sfn.getExecutionHistory(b -> b.executionArn(x).reverseOrder(reverse)
                    .maxResults(size).nextToken(t));
            assertTrue(page.events().size() <= size);
            events.addAll(page.events());
            token = page.nextToken();
        } while (token != null);
        return events;
    }

    // =============================================================================================== callbacks

    private static final String CALLBACK = """
            {"StartAt":"Ask","States":{
              "Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token"}},
                "ResultPath":"$.answer","End":true}}}""";

    /** Waits until the callback task has handed its token to the function, and returns the token. */
    private static String awaitToken(EngineHarness h, String executionArn, AtomicReference<JsonNode> received) {
        h.awaitEvent(executionArn, "TaskSubmitted");
        return received.get().get("token").asText();
    }

    @Test
    void sendTaskSuccessWithInvalidJsonIsInvalidOutput() {
        AtomicReference<JsonNode> received = new AtomicReference<>();
        try (EngineHarness h = EngineHarness.manual().function("notify", payload -> {
            received.set(payload);
            return Json.object();
        })) {
            String x = h.start(h.machine("cb", CALLBACK), "one", "{}");
            String token = awaitToken(h, x, received);
            for (String bad : List.of("{", "not json", "{\"a\":1} trailing")) {
                refusedAs("output '" + bad + "'", InvalidOutputException.class,
                        () -> h.sfn.sendTaskSuccess(b -> b.taskToken(token).output(bad)));
            }
            assertEquals(ExecutionStatus.RUNNING, h.sfn.describeExecution(b -> b.executionArn(x)).status());
            h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"ok\":true}"));
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals("{\"answer\":{\"ok\":true}}", d.output());
            // AWS: a token whose task has ended -> TaskTimedOut ("Provided task does not exist anymore")
            refused(TaskTimedOutException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")));
        }
    }

    /** "" is not a JSON text: the task must keep waiting, not succeed with a missing result. */
    @Test
    void sendTaskSuccessWithEmptyOutputIsInvalidOutput() {
        AtomicReference<JsonNode> received = new AtomicReference<>();
        try (EngineHarness h = EngineHarness.manual().function("notify", payload -> {
            received.set(payload);
            return Json.object();
        })) {
            String x = h.start(h.machine("cb", CALLBACK), "one", "{}");
            String token = awaitToken(h, x, received);
            refused(InvalidOutputException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("")));
            assertEquals(ExecutionStatus.RUNNING, h.sfn.describeExecution(b -> b.executionArn(x)).status());
        }
    }

    @Test
    void taskTokenOfAnUnknownExecutionIsTaskDoesNotExist() {
        try (EngineHarness h = EngineHarness.manual()) {
            String raw = PREFIX + "execution:ghost:run|3|" + "0".repeat(32);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            refused(TaskDoesNotExistException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")));
            refused(TaskDoesNotExistException.class, () -> h.sfn.sendTaskFailure(b -> b.taskToken(token).error("E")));
            refused(TaskDoesNotExistException.class, () -> h.sfn.sendTaskHeartbeat(b -> b.taskToken(token)));
            refused(InvalidTokenException.class, () -> h.sfn.sendTaskSuccess(b -> b.taskToken("garbage").output("{}")));
            refused(InvalidTokenException.class, () -> h.sfn.sendTaskHeartbeat(b -> b.taskToken("garbage")));
        }
    }

    // =============================================================================================== raw HTTP

    private record Raw(int status, JsonNode body, String text) {
        String type() {
            return body == null ? null : body.path("__type").asText(null);
        }

        String message() {
            return body == null ? "" : body.path("message").asText("");
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Raw post(EngineHarness h, String operation, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.server.port() + "/"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (operation != null) {
            request.header("X-Amz-Target", "AWSStepFunctions." + operation);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = Json.parse(response.body());
        } catch (IOException ignored) {
            // asserted by callers
        }
        return new Raw(response.statusCode(), json, response.body());
    }

    private static Raw expect400(Raw r, String typeSuffix, String... words) {
        assertEquals(400, r.status(), r.text());
        assertNotNull(r.type(), "no __type in " + r.text());
        assertTrue(r.type().endsWith("#" + typeSuffix), "__type " + r.type() + " is not " + typeSuffix + ": " + r.text());
        for (String word : words) {
            assertTrue(r.message().contains(word), "message does not name '" + word + "': " + r.text());
        }
        return r;
    }

    @Test
    void rawUnknownOperation() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            expect400(post(h, "FlyToTheMoon", "{}"), "UnknownOperationException", "FlyToTheMoon");
            expect400(post(h, null, "{}"), "UnknownOperationException");
        }
    }

    @Test
    void rawBodyNotJsonIsSerializationException() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            expect400(post(h, "ListStateMachines", "this is not json"), "SerializationException");
            expect400(post(h, "ListStateMachines", "{\"maxResults\":"), "SerializationException");
            expect400(post(h, "ListStateMachines", "[]"), "SerializationException");
        }
    }

    @Test
    void rawFieldOfTheWrongTypeIs400() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            h.machine("typed", PASS);
            Raw r = post(h, "DescribeStateMachine", "{\"stateMachineArn\":42}");
            assertEquals(400, r.status(), r.text());
            assertTrue(r.message().contains("stateMachineArn"), r.text());
            r = post(h, "StartExecution", "{\"stateMachineArn\":\"" + PREFIX + "stateMachine:typed\",\"input\":{\"a\":1}}");
            assertEquals(400, r.status(), r.text());
            assertTrue(r.message().contains("input"), r.text());
            r = post(h, "ListStateMachines", "{\"maxResults\":\"10\"}");
            assertEquals(400, r.status(), r.text());
            assertTrue(r.message().contains("maxResults"), r.text());
        }
    }

    @Test
    void rawUnknownMemberIsValidationException() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            expect400(post(h, "ListStateMachines", "{\"colour\":\"blue\"}"), "ValidationException", "colour");
            expect400(post(h, "DescribeStateMachine", "{\"stateMachineArn\":\"" + PREFIX + "stateMachine:a\",\"extra\":1}"),
                    "ValidationException", "extra");
        }
    }

    @Test
    void rawMissingRequiredMemberIsValidationException() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            expect400(post(h, "DescribeStateMachine", "{}"), "ValidationException", "stateMachineArn");
            expect400(post(h, "DescribeExecution", "{}"), "ValidationException", "executionArn");
            expect400(post(h, "StartExecution", "{\"name\":\"n\"}"), "ValidationException", "stateMachineArn");
            expect400(post(h, "CreateStateMachine", "{\"name\":\"n\",\"roleArn\":\"" + ROLE + "\"}"),
                    "ValidationException", "definition");
            expect400(post(h, "CreateStateMachine", "{\"name\":\"n\",\"definition\":\"{}\"}"), "ValidationException", "roleArn");
            expect400(post(h, "SendTaskSuccess", "{\"output\":\"{}\"}"), "ValidationException", "taskToken");
            expect400(post(h, "GetExecutionHistory", ""), "ValidationException", "executionArn");
        }
    }

    /** maxResults outside 0..1000 must be refused even when it overflows an int (4294967301 is 2^32 + 5). */
    @Test
    void rawMaxResultsBeyondIntRangeIsRefused() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            h.machine("one", PASS);
            List<String> accepted = new ArrayList<>();
            for (String max : List.of("4294967301", "4294967296", "99999999999999999999999", "-4294967295", "1.5", "1e3")) {
                Raw r = post(h, "ListStateMachines", "{\"maxResults\":" + max + "}");
                if (r.status() != 400) {
                    accepted.add("maxResults " + max + " -> " + r.status() + " " + r.text());
                }
            }
            assertEquals(List.of(), accepted);
        }
    }

    @Test
    void rawBadRequestsNeverProduceA5xx() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String machine = h.machine("fuzz", WAIT_HOUR);
            String x = h.start(machine, "run", "{}");
            String m = "\"" + machine + "\"";
            String e = "\"" + x + "\"";
            String deep = "[".repeat(20_000) + "]".repeat(20_000);
            String deepString = Json.write(Json.NODES.textNode(deep));
            String weirdToken = "\"" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("arn:aws:states:|x|zz".getBytes(StandardCharsets.UTF_8)) + "\"";
            String ghostToken = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (x + "|999999999999999999999|" + "a".repeat(32)).getBytes(StandardCharsets.UTF_8)) + "\"";
            String[][] cases = {
                    {"CreateStateMachine", "{\"name\":null,\"definition\":null,\"roleArn\":null}"},
                    {"CreateStateMachine", "{\"name\":\"c1\",\"definition\":\"\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c2\",\"definition\":{\"StartAt\":\"A\"},\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"\",\"definition\":\"{}\",\"roleArn\":\"\"}"},
                    {"CreateStateMachine", "{\"name\":\"c3\",\"definition\":\"null\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c4\",\"definition\":" + deepString + ",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c5\",\"definition\":\"{\\\"StartAt\\\":5,\\\"States\\\":[]}\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c6\",\"definition\":\"{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":null}}\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c7\",\"definition\":\"{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":\\\"Choice\\\",\\\"Choices\\\":[null,5,{}]}}}\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c8\",\"definition\":\"{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":\\\"Task\\\",\\\"Resource\\\":null,\\\"Retry\\\":[{\\\"ErrorEquals\\\":[null],\\\"BackoffRate\\\":\\\"x\\\"}],\\\"Catch\\\":[{\\\"ErrorEquals\\\":[\\\"States.ALL\\\"],\\\"Next\\\":5}],\\\"Parameters\\\":{\\\"a.$\\\":5},\\\"End\\\":true}}}\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c9\",\"definition\":\"{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":\\\"Wait\\\",\\\"Timestamp\\\":5,\\\"Seconds\\\":1e99,\\\"End\\\":\\\"yes\\\"}}}\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c10\",\"definition\":\"{}\",\"roleArn\":\"" + ROLE + "\",\"type\":5}"},
                    {"CreateStateMachine", "{\"name\":\"c11\",\"definition\":\"{}\",\"roleArn\":\"" + ROLE + "\",\"publish\":\"yes\"}"},
                    {"DescribeStateMachine", "[]"},
                    {"DescribeStateMachine", "null"},
                    {"DescribeStateMachine", "\"text\""},
                    {"DescribeStateMachine", "123"},
                    {"DescribeStateMachine", "{\"stateMachineArn\":[\"a\"]}"},
                    {"DescribeStateMachine", "{\"stateMachineArn\":\"\"}"},
                    {"DescribeStateMachine", "{\"stateMachineArn\":null}"},
                    {"DescribeStateMachine", "{\"stateMachineArn\":\"a\",\"stateMachineArn\":\"b\"}"},
                    {"DescribeStateMachine", deep},
                    {"ListStateMachines", "{\"maxResults\":-1}"},
                    {"ListStateMachines", "{\"maxResults\":1e400}"},
                    {"ListStateMachines", "{\"maxResults\":99999999999999999999999999999}"},
                    {"ListStateMachines", "{\"maxResults\":null,\"nextToken\":null}"},
                    {"ListStateMachines", "{\"nextToken\":\"\"}"},
                    {"ListStateMachines", "{\"nextToken\":\"b2Zmc2V0Oi01\"}"},
                    {"ListStateMachines", "{\"nextToken\":\"b2Zmc2V0Ojk5OTk5OTk5OTk5OTk5\"}"},
                    {"ListStateMachines", "{\"nextToken\":{}}"},
                    {"UpdateStateMachine", "{\"stateMachineArn\":" + m + "}"},
                    {"UpdateStateMachine", "{\"stateMachineArn\":" + m + ",\"definition\":\"{\"}"},
                    {"UpdateStateMachine", "{\"stateMachineArn\":" + m + ",\"roleArn\":\"\"}"},
                    {"DeleteStateMachine", "{\"stateMachineArn\":[]}"},
                    {"ValidateStateMachineDefinition", "{\"definition\":\"{\"}"},
                    {"ValidateStateMachineDefinition", "{\"definition\":" + deepString + "}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"input\":{\"a\":1}}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":\"s1\",\"input\":\"\"}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":\"\",\"input\":\"{}\"}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":null,\"input\":null}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":\"s2\",\"input\":" + deepString + "}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":5}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":\"s3\",\"input\":\"x\"}"},
                    {"DescribeExecution", "{\"executionArn\":null}"},
                    {"DescribeExecution", "{\"executionArn\":\"" + PREFIX + "execution:x:\"}"},
                    {"DescribeExecution", "{\"executionArn\":true}"},
                    {"ListExecutions", "{\"stateMachineArn\":" + m + ",\"statusFilter\":5}"},
                    {"ListExecutions", "{\"stateMachineArn\":" + m + ",\"statusFilter\":\"running\"}"},
                    {"ListExecutions", "{\"stateMachineArn\":" + m + ",\"maxResults\":-7}"},
                    {"ListExecutions", "{\"stateMachineArn\":" + m + ",\"mapRunArn\":null}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"reverseOrder\":\"yes\"}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"maxResults\":-5}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"maxResults\":1e10}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"nextToken\":\"b2Zmc2V0Oi01\"}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"nextToken\":\"%%%\"}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"includeExecutionData\":\"no\"}"},
                    {"StopExecution", "{\"executionArn\":" + e + ",\"error\":123}"},
                    {"StopExecution", "{\"executionArn\":" + e + ",\"cause\":\"" + "c".repeat(40_000) + "\"}"},
                    {"SendTaskSuccess", "{\"taskToken\":\"\",\"output\":\"{}\"}"},
                    {"SendTaskSuccess", "{\"taskToken\":\"x\",\"output\":null}"},
                    {"SendTaskSuccess", "{\"taskToken\":" + weirdToken + ",\"output\":\"{}\"}"},
                    {"SendTaskSuccess", "{\"taskToken\":" + ghostToken + ",\"output\":\"{}\"}"},
                    {"SendTaskSuccess", "{\"taskToken\":\"" + "A".repeat(5000) + "\",\"output\":\"{}\"}"},
                    {"SendTaskFailure", "{\"taskToken\":null}"},
                    {"SendTaskFailure", "{\"taskToken\":" + ghostToken + ",\"error\":[]}"},
                    {"SendTaskHeartbeat", "{\"taskToken\":123}"},
                    {"SendTaskHeartbeat", "{}"},
            };
            List<String> failures = new ArrayList<>();
            for (String[] c : cases) {
                Raw r = post(h, c[0], c[1]);
                String label = c[0] + " " + (c[1].length() > 160 ? c[1].substring(0, 160) + "..." : c[1]);
                if (r.status() >= 500) {
                    failures.add(label + " -> " + r.status() + " " + r.text());
                } else if (r.status() >= 400 && r.type() == null) {
                    failures.add(label + " -> " + r.status() + " without __type: " + r.text());
                }
            }
            assertTrue(failures.isEmpty(), String.join("\n", failures));
            assertTrue(cases.length >= 20);
            // the engine still answers and the running execution is intact
            assertEquals(ExecutionStatus.RUNNING, h.sfn.describeExecution(b -> b.executionArn(x)).status());
            assertEquals(200, post(h, "ListStateMachines", "{}").status());
        }
    }

    // =============================================================================================== AWS CLI

    private static boolean awsOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "aws"))) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode cli(EngineHarness h, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "stepfunctions", "--endpoint-url",
                "http://127.0.0.1:" + h.server.port(), "--region", "us-east-1", "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", "dummy");
        env.put("AWS_SECRET_ACCESS_KEY", "dummy");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path dir = Files.createTempDirectory("aws-cli");
        env.put("AWS_CONFIG_FILE", dir.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("credentials").toString());
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aws " + args[0] + " did not finish within 60 s");
        }
        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        assertEquals(0, process.exitValue(), "aws " + String.join(" ", args) + " failed: " + stderr + stdout);
        return Json.parse(stdout);
    }

    @Test
    void awsCliWorksAgainstTheEndpoint() throws Exception {
        Assumptions.assumeTrue(awsOnPath(), "the AWS CLI is not on PATH");
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("cli-machine", PASS);

            JsonNode list = cli(h, "list-state-machines");
            assertEquals(1, list.get("stateMachines").size(), list.toString());
            assertEquals("cli-machine", list.get("stateMachines").get(0).get("name").asText());
            assertEquals(arn, list.get("stateMachines").get(0).get("stateMachineArn").asText());
            assertEquals("STANDARD", list.get("stateMachines").get(0).get("type").asText());

            JsonNode started = cli(h, "start-execution", "--state-machine-arn", arn, "--name", "from-cli",
                    "--input", "{\"in\":\"cli\"}");
            String x = started.get("executionArn").asText();
            assertEquals(PREFIX + "execution:cli-machine:from-cli", x);
            assertTrue(started.has("startDate"), started.toString());
            h.awaitEnd(x);

            JsonNode described = cli(h, "describe-execution", "--execution-arn", x);
            assertEquals("SUCCEEDED", described.get("status").asText(), described.toString());
            assertEquals("from-cli", described.get("name").asText());
            assertEquals(arn, described.get("stateMachineArn").asText());
            assertEquals("{\"in\":\"cli\"}", described.get("input").asText());
            assertEquals("{\"in\":\"cli\",\"a\":{\"x\":1}}", described.get("output").asText());

            JsonNode history = cli(h, "get-execution-history", "--execution-arn", x);
            JsonNode events = history.get("events");
            assertTrue(events.size() >= 4, history.toString());
            assertEquals("ExecutionStarted", events.get(0).get("type").asText());
            assertEquals("{\"in\":\"cli\"}", events.get(0).get("executionStartedEventDetails").get("input").asText());
            assertEquals("ExecutionSucceeded", events.get(events.size() - 1).get("type").asText());

            JsonNode reversed = cli(h, "get-execution-history", "--execution-arn", x, "--reverse-order",
                    "--no-include-execution-data");
            assertEquals("ExecutionSucceeded", reversed.get("events").get(0).get("type").asText());
            assertFalse(reversed.get("events").get(0).path("executionSucceededEventDetails").has("output"),
                    reversed.toString());
        }
    }
}
