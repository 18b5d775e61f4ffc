package dev.gitops.webhook;

import dev.gitops.aws.Tables;
import dev.gitops.store.Item;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The latest push handled for each ref, so that one push starts one set of executions whatever delivery ids it comes
 * under: a push is what the signature covers (repository, ref, {@code before}, {@code after}; for a pull request its
 * head ref, base and head commits), never {@code X-GitHub-Delivery}, which it does not cover. One conditional write per
 * repository and ref in the deliveries table (key {@code ref#<owner/repo>#<ref>}: delivery ids never hold a '#'):
 * the first delivery of a push claims it; another delivery of the same content, concurrent or later, is a duplicate
 * while that push is the latest of its ref; after another push to the ref, the same content is a new push (a revert
 * and a re-push) and runs again. A pull request's content includes when it last changed, so a reopened one plans
 * again. Only pushes that start stacks claim: a branch deleted and re-created at the same commit is the same push.
 */
@Singleton
class PushClaims {
    /** Claims outlive GitHub's redelivery window by far; TTL deletion is housekeeping only. */
    static final Duration KEEP = Duration.ofDays(90);

    /** What a claim found. */
    sealed interface Claim permits First, Duplicate {
    }

    /** This delivery is the push's first (or a redelivery of it): it starts the executions. */
    record First() implements Claim {
    }

    /** The same push was handled as {@code delivery} (null when the store could not say which). */
    record Duplicate(String delivery) implements Claim {
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    PushClaims(DynamoDbClient dynamoDb, Tables tables, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = tables.getDeliveries();
        this.clock = clock;
    }

    static String key(Work work) {
        return "ref#" + work.repository() + "#" + work.request().ref();
    }

    static String content(Work work) {
        return work.content();
    }

    Claim claim(Work work) {
        Instant now = clock.instant();
        Item item = Item.empty().put("delivery", key(work)).put("content", content(work))
                .put("firstDelivery", work.delivery()).put("repository", work.repository())
                .put("claimedAt", now).putEpochSeconds("expiresAt", now.plus(KEEP));
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item.values())
                    .conditionExpression("attribute_not_exists(delivery) OR content <> :content OR firstDelivery = :delivery")
                    .expressionAttributeValues(Map.of(":content", AttributeValue.fromS(content(work)),
                            ":delivery", AttributeValue.fromS(work.delivery())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new First();
        } catch (ConditionalCheckFailedException duplicate) {
            String first = duplicate.hasItem() ? Item.of(duplicate.item()).string("firstDelivery") : null;
            if (first == null) {
                first = Item.of(dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of("delivery", AttributeValue.fromS(key(work))))).item()).string("firstDelivery");
            }
            return new Duplicate(first);
        }
    }

    /** Gives the claim up when this delivery started nothing, so that another delivery of the push may. */
    void release(Work work) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(table).key(Map.of("delivery", AttributeValue.fromS(key(work))))
                    .conditionExpression("firstDelivery = :delivery AND content = :content")
                    .expressionAttributeValues(Map.of(":content", AttributeValue.fromS(content(work)),
                            ":delivery", AttributeValue.fromS(work.delivery()))));
        } catch (ConditionalCheckFailedException anotherPushSince) {
            // the ref has moved on: nothing of ours to give up
        }
    }
}
