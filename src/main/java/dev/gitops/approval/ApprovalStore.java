package dev.gitops.approval;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Pending approvals in DynamoDB ({@code gitops.tables.approvals}): a random 128-bit id, the task token that completes
 * {@code WaitForApproval}, what is to be approved (execution, repository, stack, environment, sha, commit message,
 * pusher, plan summary, plan location and sha256), status and expiry (TTL on {@code expiresAt}).
 */
public final class ApprovalStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DynamoDbClient dynamoDb;
    private final String table;

    public ApprovalStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** Stores a pending approval from {@code WaitForApproval}'s payload; returns its id. */
    public String putPending(JsonNode request, Instant now, Instant expires) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.fromS(id));
        item.put("status", AttributeValue.fromS("pending"));
        item.put("taskToken", AttributeValue.fromS(request.path("taskToken").asText()));
        item.put("execution", AttributeValue.fromS(request.path("executionArn").asText()));
        item.put("repository", AttributeValue.fromS(request.path("repository").asText()));
        item.put("stack", AttributeValue.fromS(request.path("stack").path("name").asText()));
        item.put("dir", AttributeValue.fromS(request.path("stack").path("dir").asText()));
        item.put("environment", AttributeValue.fromS(request.path("environment").asText()));
        item.put("sha", AttributeValue.fromS(request.path("sha").asText()));
        item.put("message", AttributeValue.fromS(request.path("trigger").path("message").asText("")));
        item.put("pusher", AttributeValue.fromS(request.path("trigger").path("sender").asText("")));
        item.put("planSummary", AttributeValue.fromS(request.path("plan").path("summary").toString()));
        item.put("planLocation", AttributeValue.fromS(request.path("plan").path("location").asText("")));
        item.put("planSha256", AttributeValue.fromS(request.path("plan").path("sha256").asText("")));
        item.put("createdAt", AttributeValue.fromS(now.toString()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(expires.getEpochSecond())));
        dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(id)"));
        return id;
    }

    public Map<String, AttributeValue> get(String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        return item == null || item.isEmpty() ? null : item;
    }
}
