package dev.gitops.local;

import dev.gitops.aws.AwsClients;
import dev.gitops.runtime.LocalMode;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.URI;

/**
 * Local mode's DynamoDB: DynamoDB Local started before anything needs a table, and the controller's one
 * {@link DynamoDbClient}, the same SDK interface as in AWS: in process by default, over HTTP to 127.0.0.1 when
 * {@code gitops.local.dynamodb-port} is set.
 */
@Factory
@LocalMode
class LocalDynamoDbClients {
    @Singleton
    @Bean(preDestroy = "close")
    LocalDynamoDb localDynamoDb(LocalConfiguration config) {
        var dir = config.dataPath().resolve("dynamodb");
        DataDirectory.ensure(config.dataPath());
        return config.getDynamodbPort() == null ? LocalDynamoDb.inProcess(dir)
                : LocalDynamoDb.server(config.getDynamodbPort(), dir);
    }

    @Singleton
    @Replaces(value = DynamoDbClient.class, factory = AwsClients.class)
    DynamoDbClient dynamoDbClient(LocalDynamoDb local, DynamoDbClientBuilder builder) {
        if (local.inProcessClient() != null) {
            return local.inProcessClient();
        }
        URI endpoint = local.endpoint().orElseThrow();
        return builder.endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
    }
}
