package dev.gitops.approval;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Approvals in DynamoDB ({@code gitops.tables.approvals}): a random 128-bit id, the task token that completes
 * {@code WaitForApproval}, what is to be approved (execution, repository, stack, environment, lock, branch, sha, commit
 * message, pusher, plan summary, plan location and sha256), status, decision and expiry; DynamoDB's TTL
 * ({@code purgeAt}) removes it 30 days after it expired.
 * A decision is one conditional write: of two simultaneous decisions, one wins.
 */
public final class ApprovalStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Global secondary index on {@code lockId}: the approvals of one stack and environment. */
    public static final String BY_LOCK = "byLock";
    /** Global secondary index on {@code execution}. */
    public static final String BY_EXECUTION = "byExecution";
    /** How long an approval is kept after it expired. */
    static final java.time.Duration PURGE_AFTER = java.time.Duration.ofDays(30);

    private final DynamoDbClient dynamoDb;
    private final String table;

    public ApprovalStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** Stores a pending approval from {@code WaitForApproval}'s payload. */
    public Approval putPending(JsonNode request, Instant now, Instant expires) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        Map<String, AttributeValue> item = new HashMap<>();
        put(item, "id", id);
        put(item, "status", "pending");
        put(item, "taskToken", request.path("taskToken").asText());
        put(item, "execution", request.path("executionArn").asText());
        put(item, "repository", request.path("repository").asText());
        put(item, "stack", request.path("stack").path("name").asText());
        put(item, "dir", request.path("stack").path("dir").asText());
        put(item, "environment", request.path("environment").asText());
        if (!request.path("lockId").asText("").isEmpty()) {
            put(item, "lockId", request.path("lockId").asText()); // an index key: never an empty string
        }
        put(item, "branch", request.path("branch").asText(""));
        put(item, "sha", request.path("sha").asText());
        put(item, "message", request.path("trigger").path("message").asText(""));
        put(item, "pusher", request.path("trigger").path("sender").asText(""));
        put(item, "planSummary", request.path("plan").path("summary").toString());
        put(item, "planLocation", request.path("plan").path("location").asText(""));
        put(item, "planSha256", request.path("plan").path("sha256").asText(""));
        put(item, "createdAt", now.toString());
        item.put("expiresAt", AttributeValue.fromN(Long.toString(expires.getEpochSecond())));
        // TTL housekeeping a month later: until then a used or expired link still gets its clear answer, not "unknown"
        item.put("purgeAt", AttributeValue.fromN(Long.toString(expires.plus(PURGE_AFTER).getEpochSecond())));
        dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(id)"));
        return Approval.from(item);
    }

    private static void put(Map<String, AttributeValue> item, String name, String value) {
        item.put(name, AttributeValue.fromS(value == null ? "" : value));
    }

    public Approval get(String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        return item == null || item.isEmpty() ? null : Approval.from(item);
    }

    /**
     * Decides a pending approval, once: {@code status} becomes {@code approved}, {@code rejected}, {@code superseded}
     * or {@code expired}, with who, how and when.
     *
     * @return false when it was decided already or has expired
     */
    public boolean decide(String id, String status, String who, String via, Instant now) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("id", AttributeValue.fromS(id)))
                    .conditionExpression("#status = :pending AND (expiresAt > :now OR :status = :expired)")
                    .updateExpression("SET #status = :status, decidedBy = :who, decidedAt = :at, via = :via")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS("pending"),
                            ":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())),
                            ":status", AttributeValue.fromS(status), ":expired", AttributeValue.fromS("expired"),
                            ":who", AttributeValue.fromS(who), ":at", AttributeValue.fromS(now.toString()),
                            ":via", AttributeValue.fromS(via))));
            return true;
        } catch (ConditionalCheckFailedException decidedOrExpired) {
            return false;
        }
    }

    /** Undoes a decision Step Functions did not take (it could not be reached): the approval is pending again. */
    public void reopen(String id, String status, String who) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("id", AttributeValue.fromS(id)))
                    .conditionExpression("#status = :status AND decidedBy = :who")
                    .updateExpression("SET #status = :pending REMOVE decidedBy, decidedAt, via")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status), ":who", AttributeValue.fromS(who),
                            ":pending", AttributeValue.fromS("pending"))));
        } catch (ConditionalCheckFailedException changedMeanwhile) {
            // someone else's decision stands
        }
    }

    /** Marks a decided approval expired: Step Functions no longer waited for it. */
    public void expire(String id) {
        dynamoDb.updateItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS(id)))
                .updateExpression("SET #status = :expired")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":expired", AttributeValue.fromS("expired"))));
    }

    /** Pending approvals of one lock (stack and environment). */
    public List<Approval> pendingOn(String lockId) {
        return query(BY_LOCK, "lockId", lockId).stream().filter(Approval::pending).toList();
    }

    /** The approvals of one execution. */
    public List<Approval> ofExecution(String execution) {
        return query(BY_EXECUTION, "execution", execution);
    }

    /** A query of an index (eventually consistent, as DynamoDB's indexes are), each item read back consistently. */
    private List<Approval> query(String index, String attribute, String value) {
        List<Approval> out = new ArrayList<>();
        for (var page : dynamoDb.queryPaginator(b -> b.tableName(table).indexName(index)
                .keyConditionExpression("#k = :v")
                .expressionAttributeNames(Map.of("#k", attribute))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value))))) {
            for (Map<String, AttributeValue> item : page.items()) {
                Approval current = get(item.get("id").s());
                if (current != null) {
                    out.add(current);
                }
            }
        }
        return out;
    }
}
