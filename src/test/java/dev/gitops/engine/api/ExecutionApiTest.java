package dev.gitops.engine.api;

import dev.gitops.engine.EngineHarness;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.gitops.engine.api.ApiFixtures.PASS;
import static dev.gitops.engine.api.ApiFixtures.PREFIX;
import static dev.gitops.engine.api.ApiFixtures.ROUTE;
import static dev.gitops.engine.api.ApiFixtures.T0;
import static dev.gitops.engine.api.ApiFixtures.WAIT_HOUR;
import static dev.gitops.engine.api.ApiFixtures.refused;
import static dev.gitops.engine.api.ApiFixtures.refusedAs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests of the execution operations of the AWS-protocol API (StartExecution, DescribeExecution,
 * ListExecutions, GetExecutionHistory) through the AWS SDK v2: every refusal carries AWS's error code, HTTP 400 and a
 * message naming the problem.
 */
class ExecutionApiTest {
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
}
