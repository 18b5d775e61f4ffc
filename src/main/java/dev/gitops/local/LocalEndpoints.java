package dev.gitops.local;

import dev.gitops.runtime.LocalMode;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;

/** Local mode points the SDK clients at the embedded engine and DynamoDB Local; the calls themselves are unchanged. */
final class LocalEndpoints {
    private static final StaticCredentialsProvider LOCAL_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private LocalEndpoints() {
    }

    @Singleton
    @LocalMode
    static class Sfn implements BeanCreatedEventListener<SfnClientBuilder> {
        private final LocalConfiguration local;

        Sfn(LocalConfiguration local) {
            this.local = local;
        }

        @Override
        public SfnClientBuilder onCreated(BeanCreatedEvent<SfnClientBuilder> event) {
            return event.getBean().endpointOverride(local.endpoint(local.getEnginePort()))
                    .region(Region.US_EAST_1).credentialsProvider(LOCAL_CREDENTIALS);
        }
    }

    @Singleton
    @LocalMode
    static class DynamoDb implements BeanCreatedEventListener<DynamoDbClientBuilder> {
        private final LocalConfiguration local;

        DynamoDb(LocalConfiguration local) {
            this.local = local;
        }

        @Override
        public DynamoDbClientBuilder onCreated(BeanCreatedEvent<DynamoDbClientBuilder> event) {
            return event.getBean().endpointOverride(local.endpoint(local.getDynamodbPort()))
                    .region(Region.US_EAST_1).credentialsProvider(LOCAL_CREDENTIALS);
        }
    }
}
