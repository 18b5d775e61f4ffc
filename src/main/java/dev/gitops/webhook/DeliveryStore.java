package dev.gitops.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.aws.Tables;
import dev.gitops.store.Item;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Deliveries already handled ({@code gitops.tables.deliveries}), keyed by {@code X-GitHub-Delivery}, with the answer
 * given, so that a redelivery is answered the same way and starts nothing. Items expire (DynamoDB TTL on
 * {@code expiresAt}) after a week: GitHub redelivers for three days.
 */
@Singleton
public class DeliveryStore {
    static final Duration KEEP = Duration.ofDays(7);

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;
    private final ObjectMapper mapper;

    public DeliveryStore(DynamoDbClient dynamoDb, Tables tables, Clock clock, ObjectMapper mapper) {
        this.dynamoDb = dynamoDb;
        this.table = tables.getDeliveries();
        this.clock = clock;
        this.mapper = mapper;
    }

    /** The answer recorded for a delivery, if it was handled. */
    public Optional<JsonNode> answer(String delivery) {
        Item item = Item.of(dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("delivery", AttributeValue.fromS(delivery)))).item());
        JsonNode answer = item.json("answer", JsonNode.class, mapper);
        return answer != null && answer.isObject() ? Optional.of(answer) : Optional.empty();
    }

    /**
     * Claims the one redelivery the reconciler asks for {@code guid} (key {@code redelivery#<guid>}, kept a week):
     * true the first time only, whichever instance asks.
     */
    public boolean claimRedelivery(String guid) {
        Instant now = clock.instant();
        Item item = Item.empty().put("delivery", "redelivery#" + guid).putEpochSeconds("recordedAt", now)
                .putEpochSeconds("expiresAt", now.plus(KEEP));
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item.values()).conditionExpression("attribute_not_exists(delivery)"));
            return true;
        } catch (ConditionalCheckFailedException asked) {
            return false;
        }
    }

    /** Gives a redelivery claim back: the redelivery could not be asked for, so the next pass may. */
    public void releaseRedelivery(String guid) {
        dynamoDb.deleteItem(b -> b.tableName(table).key(Map.of("delivery", AttributeValue.fromS("redelivery#" + guid))));
    }

    /** @param repository {@code owner/repo}, or null when the delivery was ignored before it was read */
    public void record(String delivery, String repository, String event, Answer answer) {
        Instant now = clock.instant();
        Item item = Item.empty().put("delivery", delivery).put("repository", repository == null ? "-" : repository)
                .put("event", event).putJson("answer", answer, mapper)
                .putEpochSeconds("recordedAt", now).putEpochSeconds("expiresAt", now.plus(KEEP));
        dynamoDb.putItem(b -> b.tableName(table).item(item.values()));
    }
}
