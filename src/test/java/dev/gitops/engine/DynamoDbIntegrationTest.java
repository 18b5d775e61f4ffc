package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.TestDynamoDb;
import dev.gitops.engine.tasks.DynamoDbTaskHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DynamoDB optimized integrations run by the engine against DynamoDB Local, driven through the SfnClient: a lock taken
 * with a conditional putItem, refused while another holder has it (caught by its Step Functions error name), read,
 * extended and released.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoDbIntegrationTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private EngineHarness h;
    private String table;

    @BeforeAll
    void start() {
        h = EngineHarness.manual(new DynamoDbTaskHandler(TestDynamoDb.client(), executor));
        table = TestDynamoDb.table("locks", "lockId");
    }

    @AfterAll
    void stop() {
        h.close();
        executor.shutdownNow();
    }

    private String lockMachine(String name) {
        return h.machine(name, """
                {"StartAt":"AcquireLock","States":{
                  "AcquireLock":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",
                    "Parameters":{"TableName":"%1$s",
                      "Item":{"lockId":{"S.$":"$.lockId"},"holder":{"S.$":"$$.Execution.Id"},"phase":{"S":"plan"}},
                      "ConditionExpression":"attribute_not_exists(lockId) OR holder = :self",
                      "ExpressionAttributeValues":{":self":{"S.$":"$$.Execution.Id"}}},
                    "ResultPath":null,"Next":"ReadLock",
                    "Catch":[{"ErrorEquals":["DynamoDB.ConditionalCheckFailedException"],"ResultPath":"$.lockError","Next":"LockHeld"}]},
                  "ReadLock":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem",
                    "Parameters":{"TableName":"%1$s","Key":{"lockId":{"S.$":"$.lockId"}}},
                    "ResultSelector":{"holder.$":"$.Item.holder.S","phase.$":"$.Item.phase.S"},
                    "ResultPath":"$.lock","Next":"ExtendLock"},
                  "ExtendLock":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem",
                    "Parameters":{"TableName":"%1$s","Key":{"lockId":{"S.$":"$.lockId"}},
                      "UpdateExpression":"SET phase = :phase","ConditionExpression":"holder = :self",
                      "ExpressionAttributeValues":{":phase":{"S":"apply"},":self":{"S.$":"$$.Execution.Id"}},
                      "ReturnValues":"ALL_NEW"},
                    "ResultSelector":{"phase.$":"$.Attributes.phase.S"},"ResultPath":"$.extended","Next":"Hold?"},
                  "Hold?":{"Type":"Choice","Choices":[{"Variable":"$.hold","BooleanEquals":true,"Next":"Holding"}],
                    "Default":"ReleaseLock"},
                  "Holding":{"Type":"Wait","Seconds":3600,"Next":"ReleaseLock"},
                  "ReleaseLock":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:deleteItem",
                    "Parameters":{"TableName":"%1$s","Key":{"lockId":{"S.$":"$.lockId"}},
                      "ConditionExpression":"holder = :self","ExpressionAttributeValues":{":self":{"S.$":"$$.Execution.Id"}}},
                    "ResultPath":null,"End":true},
                  "LockHeld":{"Type":"Fail","Error":"LockHeld","CausePath":"$.lockError.Cause"}}}""".formatted(table));
    }

    @Test
    void aConditionalPutRefusedByDynamoDbIsCaughtByItsStepFunctionsErrorName() {
        String machine = lockMachine("locking");
        String holder = h.start(machine, "holder", "{\"lockId\":\"acme/infra/network/prd\",\"hold\":true}");
        h.awaitEvent(holder, "WaitStateEntered");

        String second = h.start(machine, "second", "{\"lockId\":\"acme/infra/network/prd\",\"hold\":false}");
        DescribeExecutionResponse refused = h.awaitEnd(second);

        assertEquals(ExecutionStatus.FAILED, refused.status());
        assertEquals("LockHeld", refused.error());
        assertTrue(refused.cause().contains("The conditional request failed"), refused.cause());
        HistoryEvent failed = h.history(second).stream().filter(e -> e.typeAsString().equals("TaskFailed")).findFirst().orElseThrow();
        assertEquals("DynamoDB.ConditionalCheckFailedException", failed.taskFailedEventDetails().error());
        assertEquals("dynamodb", failed.taskFailedEventDetails().resourceType());
        assertEquals("putItem", failed.taskFailedEventDetails().resource());

        Map<String, AttributeValue> item = TestDynamoDb.client().getItem(b -> b.tableName(table)
                .key(Map.of("lockId", AttributeValue.fromS("acme/infra/network/prd")))).item();
        assertEquals(holder, item.get("holder").s(), "the refused execution did not take the lock");
        h.sfn.stopExecution(b -> b.executionArn(holder));
    }

    @Test
    void putGetUpdateAndDeleteItemRunInOrderAndLeaveNothingBehind() {
        String machine = lockMachine("lifecycle");
        String x = h.start(machine, "once", "{\"lockId\":\"acme/infra/vpc/dev\",\"hold\":false}");
        DescribeExecutionResponse done = h.awaitEnd(x);

        assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.cause());
        JsonNode output = EngineHarness.json(done.output());
        assertEquals(x, output.path("lock").path("holder").asText(), "getItem read the holder written by putItem");
        assertEquals("plan", output.path("lock").path("phase").asText());
        assertEquals("apply", output.path("extended").path("phase").asText(), "updateItem returned ALL_NEW attributes");
        assertFalse(TestDynamoDb.client().getItem(b -> b.tableName(table)
                .key(Map.of("lockId", AttributeValue.fromS("acme/infra/vpc/dev")))).hasItem(), "deleteItem released the lock");

        HistoryEvent scheduled = h.history(x).stream().filter(e -> e.typeAsString().equals("TaskScheduled")).findFirst().orElseThrow();
        assertEquals("dynamodb", scheduled.taskScheduledEventDetails().resourceType());
        assertEquals("putItem", scheduled.taskScheduledEventDetails().resource());
        JsonNode parameters = EngineHarness.json(scheduled.taskScheduledEventDetails().parameters());
        assertEquals(x, parameters.path("Item").path("holder").path("S").asText(), "TaskScheduled carries the resolved parameters");
    }
}
