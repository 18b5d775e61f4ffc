package dev.gitops.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.aws.Tables;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.PlanResult;
import dev.gitops.runtime.Entropy;
import dev.gitops.store.Item;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
@Singleton
public class ApprovalStore {
    /** Global secondary index on {@code lockId}: the approvals of one stack and environment. */
    public static final String BY_LOCK = "byLock";
    /** Global secondary index on {@code execution}. */
    public static final String BY_EXECUTION = "byExecution";
    /** How long an approval is kept after it expired. */
    static final Duration PURGE_AFTER = Duration.ofDays(30);

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final ObjectMapper mapper;

    public ApprovalStore(DynamoDbClient dynamoDb, Tables tables, ObjectMapper mapper) {
        this.dynamoDb = dynamoDb;
        this.table = tables.getApprovals();
        this.mapper = mapper;
    }

    /** Stores a pending approval from {@code WaitForApproval}'s payload. */
    public Approval putPending(ApprovalRequest request, Instant now, Instant expires) {
        byte[] bytes = Entropy.bytes(16);
        ExecutionInput.Stack stack = request.stack() == null ? new ExecutionInput.Stack(null, null, null, null) : request.stack();
        ApprovalRequest.Plan plan = request.plan() == null ? new ApprovalRequest.Plan(null, null, null, null) : request.plan();
        ExecutionInput.Trigger trigger = request.trigger();
        Item item = Item.empty()
                .put("id", HexFormat.of().formatHex(bytes))
                .put("status", ApprovalStatus.PENDING.wire())
                .put("taskToken", text(request.taskToken()))
                .put("execution", text(request.executionArn()))
                .put("repository", text(request.repository()))
                .put("stack", text(stack.name()))
                .put("dir", text(stack.dir()))
                .put("environment", text(request.environment()))
                .put("branch", text(request.branch()))
                .put("sha", text(request.sha()))
                .put("message", text(trigger == null ? null : trigger.message()))
                .put("pusher", text(trigger == null ? null : trigger.sender()))
                .putJson("planSummary", plan.summary(), mapper)
                .put("planLocation", text(plan.location()))
                .put("planSha256", text(plan.sha256()))
                .put("planTextSha256", text(plan.textSha256()))
                .put("createdAt", now)
                .putEpochSeconds("expiresAt", expires)
                // TTL housekeeping a month later: until then a used or expired link still gets its clear answer
                .putEpochSeconds("purgeAt", expires.plus(PURGE_AFTER));
        if (request.lockId() != null && !request.lockId().isEmpty()) {
            item.put("lockId", request.lockId()); // an index key: never an empty string
        }
        dynamoDb.putItem(b -> b.tableName(table).item(item.values()).conditionExpression("attribute_not_exists(id)"));
        return approval(item);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** The one place an approval item is read. */
    private Approval approval(Item item) {
        PlanResult.Summary summary = item.json("planSummary", PlanResult.Summary.class, mapper);
        return new Approval(item.string("id"), ApprovalStatus.named(item.string("status")), item.string("taskToken"),
                item.string("execution"), item.string("repository"), item.string("stack"), item.string("dir"),
                item.string("environment"), item.string("lockId"), item.string("branch"), item.string("sha"),
                item.string("message"), item.string("pusher"), summary == null ? PlanResult.Summary.NONE : summary,
                item.string("planLocation"), item.string("planSha256"), item.string("planTextSha256"), item.instant("createdAt"),
                item.epochSeconds("expiresAt"), item.string("decidedBy"), item.instant("decidedAt"), item.string("via"));
    }

    public Approval get(String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        return item == null || item.isEmpty() ? null : approval(Item.of(item));
    }

    /**
     * Decides a pending approval, once: its status becomes {@code status}, with who, how and when.
     *
     * @return false when it was decided already or has expired
     */
    public boolean decide(String id, ApprovalStatus status, String who, String via, Instant now) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("id", AttributeValue.fromS(id)))
                    .conditionExpression("#status = :pending AND (expiresAt > :now OR :status = :expired)")
                    .updateExpression("SET #status = :status, decidedBy = :who, decidedAt = :at, via = :via")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(ApprovalStatus.PENDING.wire()),
                            ":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())),
                            ":status", AttributeValue.fromS(status.wire()),
                            ":expired", AttributeValue.fromS(ApprovalStatus.EXPIRED.wire()),
                            ":who", AttributeValue.fromS(who), ":at", AttributeValue.fromS(now.toString()),
                            ":via", AttributeValue.fromS(via))));
            return true;
        } catch (ConditionalCheckFailedException decidedOrExpired) {
            return false;
        }
    }

    /** Undoes a decision Step Functions did not take (it could not be reached): the approval is pending again. */
    public void reopen(String id, ApprovalStatus status, String who) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("id", AttributeValue.fromS(id)))
                    .conditionExpression("#status = :status AND decidedBy = :who")
                    .updateExpression("SET #status = :pending REMOVE decidedBy, decidedAt, via")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status.wire()),
                            ":who", AttributeValue.fromS(who),
                            ":pending", AttributeValue.fromS(ApprovalStatus.PENDING.wire()))));
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
                .expressionAttributeValues(Map.of(":expired", AttributeValue.fromS(ApprovalStatus.EXPIRED.wire()))));
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
