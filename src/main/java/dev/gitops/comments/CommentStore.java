package dev.gitops.comments;

import dev.gitops.aws.Tables;
import dev.gitops.runtime.WireNames;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of each pull request's plan comment per environment, an item of the deliveries table
 * ({@code gitops.tables.deliveries}, key {@code pr-comment#<owner>/<repo>#<number>#<env>}): a map of the stacks (one
 * {@link StackPlan} each, by directory), a version counted up at each change, the comment's id once it exists, and who
 * is creating it. A stack's entry is written alone (a conditional update of its own map key), so executions of one
 * pull request that end together never lose each other's stack; the comment is rendered whole from the item. Kept 30
 * days after its last change (TTL {@code expiresAt}).
 */
@Singleton
class CommentStore {
    static final Duration KEEP = Duration.ofDays(30);
    /** A creator that has not finished in this long is presumed gone; another may create the comment. */
    static final Duration STALE_CLAIM = Duration.ofMinutes(2);

    /** A comment's item: which pull request and environment. */
    record Key(String repository, int number, String environment) {
        String value() {
            return "pr-comment#" + repository + "#" + number + "#" + environment;
        }
    }

    /** The item as read. */
    record Comment(Key key, long version, Long commentId, List<StackPlan> stacks, String headSha) {
    }

    /** What a claim to create the comment found. */
    record Claim(boolean claimed, Long commentId) {
    }

    private final DynamoDbClient dynamoDb;
    private final String table;

    CommentStore(DynamoDbClient dynamoDb, Tables tables) {
        this.dynamoDb = dynamoDb;
        this.table = tables.getDeliveries();
    }

    /**
     * Writes one stack's entry. The start of an execution never overwrites what that execution already finished (its end
     * may be heard first); an execution's end never overwrites a newer execution's entry.
     *
     * @return the item after the write; empty when the entry belongs to another execution (nothing was written)
     */
    Optional<Comment> put(Key key, StackPlan plan, boolean start, Instant now) {
        Map<String, AttributeValue> id = Map.of("delivery", AttributeValue.fromS(key.value()));
        dynamoDb.updateItem(b -> b.tableName(table).key(id).updateExpression("SET stacks = if_not_exists(stacks, :empty)")
                .expressionAttributeValues(Map.of(":empty", AttributeValue.fromM(Map.of()))));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":plan", AttributeValue.fromM(attributes(plan)));
        values.put(":execution", AttributeValue.fromS(plan.execution()));
        values.put(":one", AttributeValue.fromN("1"));
        values.put(":expires", AttributeValue.fromN(Long.toString(now.plus(KEEP).getEpochSecond())));
        values.put(":repository", AttributeValue.fromS(key.repository()));
        values.put(":environment", AttributeValue.fromS(key.environment()));
        String update = "SET stacks.#dir = :plan, expiresAt = :expires, repository = :repository, environment = :environment";
        if (start) {
            values.put(":sha", AttributeValue.fromS(plan.sha()));
            update += ", headSha = :sha";
        }
        String condition = start ? "attribute_not_exists(stacks.#dir) OR stacks.#dir.execution <> :execution"
                : "attribute_not_exists(stacks.#dir) OR stacks.#dir.execution = :execution";
        String expression = update + " ADD version :one";
        try {
            return Optional.of(comment(key, dynamoDb.updateItem(b -> b.tableName(table).key(id).updateExpression(expression)
                    .conditionExpression(condition).expressionAttributeNames(Map.of("#dir", plan.dir()))
                    .expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW)).attributes()));
        } catch (ConditionalCheckFailedException another) {
            return Optional.empty();
        }
    }

    Comment get(Key key) {
        return comment(key, dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("delivery", AttributeValue.fromS(key.value())))).item());
    }

    /** Claims the creation of the comment, unless it exists or someone else is creating it. */
    Claim claim(Key key, String who, Instant now) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("delivery", AttributeValue.fromS(key.value())))
                    .conditionExpression("attribute_not_exists(commentId) AND (attribute_not_exists(creator) OR claimedAt < :stale)")
                    .updateExpression("SET creator = :who, claimedAt = :now")
                    .expressionAttributeValues(Map.of(":who", AttributeValue.fromS(who),
                            ":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())),
                            ":stale", AttributeValue.fromN(Long.toString(now.minus(STALE_CLAIM).getEpochSecond()))))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Claim(true, null);
        } catch (ConditionalCheckFailedException refused) {
            AttributeValue existing = refused.hasItem() ? refused.item().get("commentId") : null;
            return new Claim(false, existing == null ? null : Long.parseLong(existing.n()));
        }
    }

    /** The comment exists: its id, and the claim is over. */
    void created(Key key, long commentId) {
        dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("delivery", AttributeValue.fromS(key.value())))
                .updateExpression("SET commentId = :id REMOVE creator, claimedAt")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromN(Long.toString(commentId)))));
    }

    /** Gives up a claim (GitHub could not be reached): the next update tries again. */
    void unclaim(Key key, String who) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("delivery", AttributeValue.fromS(key.value())))
                    .conditionExpression("creator = :who").updateExpression("REMOVE creator, claimedAt")
                    .expressionAttributeValues(Map.of(":who", AttributeValue.fromS(who))));
        } catch (ConditionalCheckFailedException notOurs) {
            // someone else's claim now
        }
    }

    /** The comment was deleted on GitHub: forget its id, so that the next update creates one again. */
    void forget(Key key, long commentId) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("delivery", AttributeValue.fromS(key.value())))
                    .conditionExpression("commentId = :id").updateExpression("REMOVE commentId")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromN(Long.toString(commentId)))));
        } catch (ConditionalCheckFailedException changed) {
            // another id already
        }
    }

    private static Map<String, AttributeValue> attributes(StackPlan p) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("stack", s(p.stack()));
        m.put("dir", s(p.dir()));
        m.put("status", s(p.status().wire()));
        m.put("sha", s(p.sha()));
        m.put("execution", s(p.execution()));
        m.put("add", AttributeValue.fromN(Integer.toString(p.add())));
        m.put("change", AttributeValue.fromN(Integer.toString(p.change())));
        m.put("destroy", AttributeValue.fromN(Integer.toString(p.destroy())));
        m.put("planLocation", s(p.planLocation()));
        m.put("planTextSha256", s(p.planTextSha256()));
        m.put("error", s(p.error()));
        m.put("at", s(p.at()));
        return m;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value == null ? "" : value);
    }

    private static Comment comment(Key key, Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return new Comment(key, 0, null, List.of(), null);
        }
        List<StackPlan> stacks = new ArrayList<>();
        AttributeValue map = item.get("stacks");
        if (map != null && map.hasM()) {
            for (AttributeValue entry : map.m().values()) {
                Map<String, AttributeValue> m = entry.m();
                stacks.add(new StackPlan(text(m, "stack"), text(m, "dir"),
                        WireNames.named(StackPlan.Status.class, text(m, "status")), text(m, "sha"), text(m, "execution"),
                        number(m, "add"), number(m, "change"), number(m, "destroy"), text(m, "planLocation"),
                        text(m, "planTextSha256"), text(m, "error"), text(m, "at")));
            }
        }
        stacks.sort(Comparator.comparing(StackPlan::dir));
        AttributeValue version = item.get("version");
        AttributeValue commentId = item.get("commentId");
        AttributeValue head = item.get("headSha");
        return new Comment(key, version == null ? 0 : Long.parseLong(version.n()),
                commentId == null ? null : Long.parseLong(commentId.n()), List.copyOf(stacks), head == null ? null : head.s());
    }

    private static String text(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null || v.s() == null || v.s().isEmpty() ? null : v.s();
    }

    private static int number(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null || v.n() == null ? 0 : Integer.parseInt(v.n());
    }
}
