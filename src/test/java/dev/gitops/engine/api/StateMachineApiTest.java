package dev.gitops.engine.api;

import dev.gitops.engine.EngineHarness;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDeletingException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.StateMachineTypeNotSupportedException;
import software.amazon.awssdk.services.sfn.model.UpdateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ValidationException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static dev.gitops.engine.EngineHarness.ROLE;
import static dev.gitops.engine.api.ApiFixtures.PASS;
import static dev.gitops.engine.api.ApiFixtures.PREFIX;
import static dev.gitops.engine.api.ApiFixtures.T0;
import static dev.gitops.engine.api.ApiFixtures.WAIT_HOUR;
import static dev.gitops.engine.api.ApiFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests of the state machine operations of the AWS-protocol API (Create, Describe, List, Update and
 * DeleteStateMachine) through the AWS SDK v2: every refusal carries AWS's error code, HTTP 400 and a message naming
 * the problem.
 */
class StateMachineApiTest {
    private static String versioned(String version) {
        return """
                {"StartAt":"Hold","States":{
                  "Hold":{"Type":"Wait","Seconds":10,"Next":"Mark"},
                  "Mark":{"Type":"Pass","Result":"%s","ResultPath":"$.version","End":true}}}""".formatted(version);
    }

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
}
