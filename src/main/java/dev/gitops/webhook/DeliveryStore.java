package dev.gitops.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.aws.Tables;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Duration;
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
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public DeliveryStore(DynamoDbClient dynamoDb, Tables tables) {
        this(dynamoDb, tables.getDeliveries(), Clock.systemUTC());
    }

    DeliveryStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    /** The answer recorded for a delivery, if it was handled. */
    public Optional<JsonNode> answer(String delivery) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("delivery", AttributeValue.fromS(delivery)))).item();
        if (item == null || !item.containsKey("answer")) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readTree(item.get("answer").s()));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    public void record(String delivery, String repository, String event, JsonNode answer) {
        long now = clock.instant().getEpochSecond();
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of(
                "delivery", AttributeValue.fromS(delivery),
                "repository", AttributeValue.fromS(repository == null ? "-" : repository),
                "event", AttributeValue.fromS(event),
                "answer", AttributeValue.fromS(answer.toString()),
                "recordedAt", AttributeValue.fromN(Long.toString(now)),
                "expiresAt", AttributeValue.fromN(Long.toString(now + KEEP.toSeconds())))));
    }
}
