package dev.gitops.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.asl.TaskResource;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.data.StatesErrors;
import dev.gitops.engine.data.StatesException;
import dev.gitops.TestDynamoDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamoDbTaskHandlerTest {
    private static String TABLE;

    private static DynamoDbClient client;
    private static ExecutorService executor;
    private static DynamoDbTaskHandler handler;

    @BeforeAll
    static void startDynamoDb() {
        client = TestDynamoDb.client();
        TABLE = TestDynamoDb.table("Items", "id");
        executor = Executors.newCachedThreadPool();
        handler = new DynamoDbTaskHandler(client, executor);
    }

    @AfterAll
    static void stopExecutor() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("dummy", "dummy")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static TaskRequest request(String action, String parameters) {
        TaskResource resource = TaskResource.parse("arn:aws:states:::dynamodb:" + action);
        return new TaskRequest(resource, Json.parseTrusted(parameters), null,
                "arn:aws:states:us-east-1:123456789012:execution:sm:run", "Step", new CompletableFuture<>());
    }

    private static JsonNode run(String action, String parameters) throws Exception {
        return handler.start(request(action, parameters)).get(30, TimeUnit.SECONDS);
    }

    private static StatesException failure(DynamoDbTaskHandler handler, String action, String parameters) {
        CompletableFuture<JsonNode> future = handler.start(request(action, parameters));
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        return assertInstanceOfStates(e.getCause());
    }

    private static StatesException failure(String action, String parameters) {
        return failure(handler, action, parameters);
    }

    private static StatesException assertInstanceOfStates(Throwable cause) {
        assertTrue(cause instanceof StatesException, "expected a StatesException, got " + cause);
        return (StatesException) cause;
    }

    @Test
    void putThenGetRoundTripsEveryAttributeType() throws Exception {
        String item = """
                {"id":{"S":"every-type"},"s":{"S":"text"},"n":{"N":"42.5"},"b":{"B":"AAEC/w=="},
                 "ss":{"SS":["a","b"]},"ns":{"NS":["1","2.5"]},"bs":{"BS":["AQ==","Ag=="]},
                 "m":{"M":{"k":{"S":"v"},"inner":{"M":{"x":{"N":"1"}}}}},
                 "l":{"L":[{"S":"x"},{"N":"2"},{"BOOL":false},{"NULL":true},{"M":{"y":{"S":"z"}}}]},
                 "nul":{"NULL":true},"bool":{"BOOL":true}}""";
        JsonNode put = run("putItem", "{\"TableName\":\"" + TABLE + "\",\"Item\":" + item + "}");
        assertFalse(put.has("Attributes"));
        assertEquals(200, put.at("/SdkHttpMetadata/HttpStatusCode").intValue());

        JsonNode got = run("getItem", "{\"TableName\":\"" + TABLE + "\",\"Key\":{\"id\":{\"S\":\"every-type\"}}}");
        JsonNode expected = Json.parseTrusted(item);
        JsonNode actual = got.get("Item");
        assertNotNull(actual, got.toString());
        assertEquals(names(expected), names(actual));
        for (String name : names(expected)) {
            if (Set.of("ss", "ns", "bs").contains(name)) {
                String type = names(expected.get(name)).iterator().next();
                assertEquals(elements(expected.get(name).get(type)), elements(actual.get(name).get(type)), name);
            } else {
                assertEquals(expected.get(name), actual.get(name), name);
            }
        }
        assertEquals(200, got.at("/SdkHttpMetadata/HttpStatusCode").intValue());
        assertTrue(got.at("/SdkHttpMetadata/AllHttpHeaders").isObject());
        assertTrue(got.at("/SdkHttpMetadata/HttpHeaders").isObject());
        assertFalse(got.at("/SdkResponseMetadata/RequestId").asText().isEmpty());
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.properties().forEach(e -> out.add(e.getKey()));
        return out;
    }

    private static Set<String> elements(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    @Test
    void conditionalPutRefusedIsConditionalCheckFailed() throws Exception {
        String put = "{\"TableName\":\"" + TABLE + "\",\"Item\":{\"id\":{\"S\":\"once\"}},"
                + "\"ConditionExpression\":\"attribute_not_exists(id)\"}";
        run("putItem", put);
        StatesException e = failure("putItem", put);
        assertEquals("DynamoDB.ConditionalCheckFailedException", e.error());
        assertTrue(e.cause().startsWith("The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; "
                + "Error Code: ConditionalCheckFailedException; Request ID: "), e.cause());
    }

    @Test
    void updateItemReturnsAllNewAttributes() throws Exception {
        String update = "{\"TableName\":\"" + TABLE + "\",\"Key\":{\"id\":{\"S\":\"counter\"}},"
                + "\"UpdateExpression\":\"SET #c = if_not_exists(#c, :zero) + :one\","
                + "\"ExpressionAttributeNames\":{\"#c\":\"count\"},"
                + "\"ExpressionAttributeValues\":{\":zero\":{\"N\":\"0\"},\":one\":{\"N\":\"1\"}},"
                + "\"ReturnValues\":\"ALL_NEW\"}";
        run("updateItem", update);
        JsonNode result = run("updateItem", update);
        assertEquals(Json.parseTrusted("{\"id\":{\"S\":\"counter\"},\"count\":{\"N\":\"2\"}}"), result.get("Attributes"));
        assertEquals(200, result.at("/SdkHttpMetadata/HttpStatusCode").intValue());
    }

    @Test
    void deleteItemRemovesTheItem() throws Exception {
        String key = "{\"id\":{\"S\":\"doomed\"}}";
        run("putItem", "{\"TableName\":\"" + TABLE + "\",\"Item\":{\"id\":{\"S\":\"doomed\"},\"v\":{\"S\":\"x\"}}}");
        JsonNode plain = run("deleteItem", "{\"TableName\":\"" + TABLE + "\",\"Key\":" + key + ",\"ReturnValues\":\"ALL_OLD\"}");
        assertEquals("x", plain.at("/Attributes/v/S").asText());
        JsonNode again = run("deleteItem", "{\"TableName\":\"" + TABLE + "\",\"Key\":" + key + "}");
        assertFalse(again.has("Attributes"));
        assertFalse(run("getItem", "{\"TableName\":\"" + TABLE + "\",\"Key\":" + key + "}").has("Item"));
    }

    @Test
    void getItemOfAMissingKeyHasNoItem() throws Exception {
        JsonNode result = run("getItem", "{\"TableName\":\"" + TABLE + "\",\"Key\":{\"id\":{\"S\":\"nobody\"}}}");
        assertFalse(result.has("Item"), result.toString());
        assertEquals(Set.of("SdkHttpMetadata", "SdkResponseMetadata"), names(result));
        assertEquals(200, result.at("/SdkHttpMetadata/HttpStatusCode").intValue());
    }

    @Test
    void unknownTableIsResourceNotFound() {
        StatesException e = failure("putItem", "{\"TableName\":\"NoSuchTable\",\"Item\":{\"id\":{\"S\":\"a\"}}}");
        assertEquals("DynamoDB.ResourceNotFoundException", e.error());
        assertTrue(e.cause().contains("Status Code: 400; Error Code: ResourceNotFoundException"), e.cause());
    }

    @Test
    void requestDynamoDbRejectsIsAmazonDynamoDbException() {
        StatesException e = failure("putItem", "{\"TableName\":\"" + TABLE + "\",\"Item\":{\"other\":{\"S\":\"a\"}}}");
        assertEquals("DynamoDB.AmazonDynamoDBException", e.error());
        assertTrue(e.cause().contains("Error Code: ValidationException"), e.cause());
    }

    @Test
    void unknownParameterIsNamed() {
        StatesException e = failure("putItem", "{\"TableName\":\"" + TABLE + "\",\"Itme\":{\"id\":{\"S\":\"a\"}}}");
        assertEquals(StatesErrors.RUNTIME, e.error());
        assertTrue(e.cause().contains("The field \"Itme\" is not supported by Step Functions"), e.cause());
        assertTrue(e.cause().contains("Item"), e.cause());
        assertTrue(e.cause().contains("'Step'"), e.cause());

        StatesException sdkOnly = failure("putItem", "{\"TableName\":\"" + TABLE + "\",\"Item\":{\"id\":{\"S\":\"a\"}},"
                + "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}");
        assertTrue(sdkOnly.cause().contains("\"ReturnValuesOnConditionCheckFailure\""), sdkOnly.cause());

        StatesException nested = failure("getItem", "{\"TableName\":\"" + TABLE + "\",\"Key\":{\"id\":{\"Str\":\"a\"}}}");
        assertEquals(StatesErrors.RUNTIME, nested.error());
        assertTrue(nested.cause().contains("\"Key.id.Str\""), nested.cause());

        StatesException type = failure("getItem", "{\"TableName\":\"" + TABLE + "\",\"Key\":{\"id\":{\"N\":1}}}");
        assertTrue(type.cause().contains("'Key.id.N' must be a STRING"), type.cause());
    }

    @Test
    void checkAcceptsTheFourRequestResponseActions() {
        for (String action : new String[]{"putItem", "getItem", "updateItem", "deleteItem"}) {
            assertNull(handler.check(TaskResource.parse("arn:aws:states:::dynamodb:" + action)), action);
        }
        assertEquals("dynamodb", handler.service());
        for (String arn : new String[]{"arn:aws:states:::dynamodb:query", "arn:aws:states:::dynamodb:putItem.sync",
                "arn:aws:states:::dynamodb:getItem.waitForTaskToken", "arn:aws:states:::dynamodb:PutItem"}) {
            String refusal = handler.check(TaskResource.parse(arn));
            assertNotNull(refusal, arn);
            assertTrue(refusal.contains("putItem|getItem|updateItem|deleteItem"), refusal);
            assertTrue(refusal.contains("'" + arn + "' is not supported"), refusal);
        }
        StatesException e = failure("scan", "{\"TableName\":\"" + TABLE + "\"}");
        assertEquals(StatesErrors.RUNTIME, e.error());
    }

    @Test
    void unreachableDynamoDbIsSdkClientException() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (DynamoDbClient unreachable = client(URI.create("http://127.0.0.1:" + port))) {
            StatesException e = failure(new DynamoDbTaskHandler(unreachable, executor), "getItem",
                    "{\"TableName\":\"" + TABLE + "\",\"Key\":{\"id\":{\"S\":\"a\"}}}");
            assertEquals("DynamoDB.SdkClientException", e.error());
            assertFalse(e.cause().isEmpty());
        }
    }

    @Test
    void rejectedExecutionStillCompletesTheFuture() {
        DynamoDbTaskHandler refusing = new DynamoDbTaskHandler(client, command -> {
            throw new RejectedExecutionException("shut down");
        });
        StatesException e = failure(refusing, "getItem", "{\"TableName\":\"" + TABLE + "\",\"Key\":{\"id\":{\"S\":\"a\"}}}");
        assertEquals(StatesErrors.TASK_FAILED, e.error());
    }
}
