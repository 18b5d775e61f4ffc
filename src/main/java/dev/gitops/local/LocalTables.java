package dev.gitops.local;

import dev.gitops.runtime.LocalMode;
import dev.gitops.approval.ApprovalStore;
import dev.gitops.aws.Tables;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Local mode creates the controller's tables in DynamoDB Local when they are missing (in AWS, the SAM template does),
 * with the same keys and TTL attribute.
 */
@Context
@LocalMode
public class LocalTables {
    private static final Logger LOG = LoggerFactory.getLogger(LocalTables.class);

    public LocalTables(LocalServices services, DynamoDbClient dynamoDb, Tables tables) {
        create(dynamoDb, tables.getDeliveries(), "delivery", null, "expiresAt");
        create(dynamoDb, tables.getLocks(), "lockId", null, "expiresAt");
        create(dynamoDb, tables.getApprovals(), "id", null, "purgeAt", ApprovalStore.BY_LOCK, "lockId",
                ApprovalStore.BY_EXECUTION, "execution");
        create(dynamoDb, tables.getDeployments(), "target", "at", null);
        create(dynamoDb, tables.getDrift(), "target", null, null);
    }

    /** A data directory from an earlier version: its table gains the indexes it lacks. */
    private static void addMissingIndexes(DynamoDbClient dynamoDb, String table, String... indexes) {
        var present = dynamoDb.describeTable(b -> b.tableName(table)).table().globalSecondaryIndexes().stream()
                .map(GlobalSecondaryIndexDescription::indexName).collect(Collectors.toSet());
        for (int i = 0; i + 1 < indexes.length; i += 2) {
            String name = indexes[i];
            String hash = indexes[i + 1];
            if (!present.contains(name)) {
                dynamoDb.updateTable(b -> b.tableName(table)
                        .attributeDefinitions(a -> a.attributeName(hash).attributeType(ScalarAttributeType.S))
                        .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(name)
                                .keySchema(k -> k.attributeName(hash).keyType(KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.ALL)))));
                awaitIndexes(dynamoDb, table); // one index at a time
                LOG.info("added index \"{}\" to table \"{}\" in DynamoDB Local", name, table);
            }
        }
    }

    private static void awaitIndexes(DynamoDbClient dynamoDb, String table) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (dynamoDb.describeTable(b -> b.tableName(table)).table().globalSecondaryIndexes().stream()
                .anyMatch(i -> i.indexStatus() != IndexStatus.ACTIVE)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the indexes of table \"" + table + "\" did not become active");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * @param indexes pairs of global secondary index name and its (string) hash key, projecting every attribute
     */
    static void create(DynamoDbClient dynamoDb, String table, String key, String sortKey, String ttlAttribute,
                       String... indexes) {
        if (dynamoDb.listTables().tableNames().contains(table)) {
            addMissingIndexes(dynamoDb, table, indexes);
            return;
        }
        try {
            List<AttributeDefinition> attributes = new ArrayList<>(List.of(AttributeDefinition.builder()
                    .attributeName(key).attributeType(ScalarAttributeType.S).build()));
            List<KeySchemaElement> keys = new ArrayList<>(List.of(KeySchemaElement.builder()
                    .attributeName(key).keyType(KeyType.HASH).build()));
            if (sortKey != null) {
                attributes.add(AttributeDefinition.builder().attributeName(sortKey).attributeType(ScalarAttributeType.S).build());
                keys.add(KeySchemaElement.builder().attributeName(sortKey).keyType(KeyType.RANGE).build());
            }
            List<GlobalSecondaryIndex> gsis = new ArrayList<>();
            for (int i = 0; i + 1 < indexes.length; i += 2) {
                String name = indexes[i];
                String hash = indexes[i + 1];
                attributes.add(AttributeDefinition.builder().attributeName(hash).attributeType(ScalarAttributeType.S).build());
                gsis.add(GlobalSecondaryIndex.builder().indexName(name)
                        .keySchema(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build())
                        .projection(p -> p.projectionType(ProjectionType.ALL)).build());
            }
            dynamoDb.createTable(b -> {
                b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST).attributeDefinitions(attributes).keySchema(keys);
                if (!gsis.isEmpty()) {
                    b.globalSecondaryIndexes(gsis);
                }
            });
            if (ttlAttribute != null) {
                dynamoDb.updateTimeToLive(b -> b.tableName(table)
                        .timeToLiveSpecification(t -> t.attributeName(ttlAttribute).enabled(true)));
            }
            LOG.info("created table \"{}\" in DynamoDB Local", table);
        } catch (ResourceInUseException alreadyThere) {
            // created concurrently
        }
    }
}
