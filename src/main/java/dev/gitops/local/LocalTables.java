package dev.gitops.local;

import dev.gitops.aws.Tables;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Local mode creates the controller's tables in DynamoDB Local when they are missing (in AWS, the SAM template does),
 * with the same keys and TTL attribute.
 */
@Context
@Requires(notEnv = {Environment.FUNCTION, "lambda"})
@Requires(property = "gitops.local.enabled", notEquals = "false")
public class LocalTables {
    private static final Logger LOG = LoggerFactory.getLogger(LocalTables.class);

    public LocalTables(LocalServices services, DynamoDbClient dynamoDb, Tables tables) {
        create(dynamoDb, tables.getDeliveries(), "delivery", null, "expiresAt");
        create(dynamoDb, tables.getLocks(), "lockId", null, "expiresAt");
        create(dynamoDb, tables.getApprovals(), "id", null, "purgeAt");
        create(dynamoDb, tables.getDeployments(), "target", "at", null);
    }

    static void create(DynamoDbClient dynamoDb, String table, String key, String sortKey, String ttlAttribute) {
        if (dynamoDb.listTables().tableNames().contains(table)) {
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
            dynamoDb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attributes).keySchema(keys));
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
