package dev.gitops;

import dev.gitops.local.LocalDynamoDb;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.UUID;

/**
 * One DynamoDB Local (in memory, server mode on a free port) for the whole test JVM, started on first use. Tests make
 * their own tables with {@link #table}, named uniquely, so they never see each other's items.
 */
public final class TestDynamoDb {
    private static LocalDynamoDb server;
    private static DynamoDbClient client;

    private TestDynamoDb() {
    }

    public static synchronized DynamoDbClient client() {
        if (client == null) {
            server = LocalDynamoDb.server(TestPorts.free(), null);
            client = DynamoDbClient.builder()
                    .endpointOverride(server.endpoint().orElseThrow())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return client;
    }

    /** Where the shared DynamoDB Local listens. */
    public static synchronized java.net.URI endpoint() {
        client();
        return server.endpoint().orElseThrow();
    }

    /** Creates a table with a string hash key {@code keyName} and returns its (unique) name. */
    public static String table(String prefix, String keyName) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        client().createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName(keyName).attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName(keyName).keyType(KeyType.HASH)));
        return name;
    }
}
