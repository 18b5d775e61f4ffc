package dev.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.lock.Lock;
import dev.gitops.lock.LockStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state machine's functions and the janitor through their Lambda entry ({@code dev.gitops.FunctionHandler}), as
 * the SAM template deploys them: the Lambda environments, DynamoDB Local standing in for DynamoDB.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionHandlerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Map<String, String> properties = new HashMap<>();
    private LockStore locks;
    private dev.gitops.engine.EngineHarness engine;

    @BeforeAll
    void start() {
        String table = TestDynamoDb.table("fn-locks", "lockId");
        engine = dev.gitops.engine.EngineHarness.manual();
        properties.putAll(Map.of("aws.region", "us-east-1", "aws.accessKeyId", "test", "aws.secretAccessKey", "test",
                "gitops.aws.endpoints.dynamodb", TestDynamoDb.endpoint().toString(),
                "gitops.aws.endpoints.stepfunctions", "http://127.0.0.1:" + engine.server.port(),
                "gitops.tables.locks", table));
        properties.put("gitops.approval.link-secret", "function test link secret");
        properties.put("gitops.public-url", "https://gitops.example.com");
        properties.forEach(System::setProperty);
        locks = new LockStore(TestDynamoDb.client(), table, Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        FunctionHandler.close();
        properties.keySet().forEach(System::clearProperty);
        System.clearProperty("gitops.function");
        engine.close();
    }

    private JsonNode invoke(String function, String event) throws Exception {
        System.setProperty("gitops.function", function);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FunctionHandler().handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return MAPPER.readTree(out.toByteArray());
    }

    @Test
    void thePipelineFunctionAcquiresAndReleasesLocksInLambda() throws Exception {
        String acquire = """
                {"action":"acquire","lockId":"acme/fn/infra/app/tst","execution":"arn:aws:states:us-east-1:1:execution:p:a",
                 "startedAt":"2026-12-01T10:00:00Z","sha":"%s","branch":"develop","approvalTimeoutSeconds":60}
                """.formatted("d".repeat(40));
        assertTrue(invoke("gitops-pipeline-function", acquire).path("acquired").asBoolean());
        JsonNode refused = invoke("gitops-pipeline-function", acquire.replace("execution:p:a", "execution:p:b"));
        assertFalse(refused.path("acquired").asBoolean());
        assertTrue(refused.path("message").asText().contains("held by execution a"), refused.toString());
        assertTrue(invoke("gitops-pipeline-function", """
                {"action":"release","lockId":"acme/fn/infra/app/tst","execution":"arn:aws:states:us-east-1:1:execution:p:a"}
                """).path("released").asBoolean());
    }

    @Test
    void theJanitorReleasesTheLockOfAnExecutionThatEndedFromItsEventBridgeEvent() throws Exception {
        String execution = "arn:aws:states:us-east-1:1:execution:p:stopped";
        assertTrue(locks.acquire(new LockStore.Claim("acme/fn/infra/db/prd", execution, "e".repeat(40), "main", Lock.Phase.APPROVAL,
                Duration.ofHours(1))).acquired());
        String event = MAPPER.createObjectNode().put("detail-type", "Step Functions Execution Status Change")
                .put("source", "aws.states").set("detail", MAPPER.createObjectNode().put("executionArn", execution)
                        .put("status", "ABORTED").put("input", "{\"lockId\":\"acme/fn/infra/db/prd\"}")).toString();
        assertTrue(invoke("janitor", event).path("ok").asBoolean());
        assertFalse(locks.get("acme/fn/infra/db/prd").heldAt(java.time.Instant.now()));
    }

    @Test
    void aPayloadThatDoesNotFitTheStepFailsWithANameTheStateMachineMatches() {
        FunctionHandler.FunctionFailure unknown = assertThrows(FunctionHandler.FunctionFailure.class,
                () -> invoke("gitops-pipeline-function", "{\"action\":\"unlock\"}"));
        assertEquals("InvalidAction: unknown action 'unlock' (acquire, check, release, record, explain)", unknown.getMessage());
        FunctionHandler.FunctionFailure missing = assertThrows(FunctionHandler.FunctionFailure.class,
                () -> invoke("gitops-pipeline-function", "{\"action\":\"release\",\"execution\":\"arn:x\"}"));
        assertEquals("InvalidPayload: 'lockId' is required", missing.getMessage());
        FunctionHandler.FunctionFailure token = assertThrows(FunctionHandler.FunctionFailure.class,
                () -> invoke("gitops-approval-function", "{\"repository\":\"acme/fn\"}"));
        assertTrue(token.getMessage().startsWith("InvalidPayload: 'taskToken' is required"), token.getMessage());
    }

    @Test
    void anUnknownFunctionNameIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> invoke("nope", "{}"));
        assertTrue(e.getMessage().contains("GITOPS_FUNCTION"), e.getMessage());
        assertTrue(e.getMessage().contains("gitops-approval-function, gitops-drift-function, gitops-pipeline-function, janitor,"
                + " reconciler, webhook-handoff"), e.getMessage());
    }
}
