package dev.gitops.local;

import dev.gitops.runtime.LocalMode;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;

/**
 * Local mode points the Step Functions client at the embedded engine, signing with its {@link LocalCredentials}; the
 * calls themselves are unchanged (DynamoDB: {@link LocalDynamoDbClients}).
 */
final class LocalEndpoints {
    private LocalEndpoints() {
    }

    @Singleton
    @LocalMode
    static class Sfn implements BeanCreatedEventListener<SfnClientBuilder> {
        private final LocalConfiguration local;
        private final LocalCredentials credentials;

        Sfn(LocalConfiguration local, LocalCredentials credentials) {
            this.local = local;
            this.credentials = credentials;
        }

        @Override
        public SfnClientBuilder onCreated(BeanCreatedEvent<SfnClientBuilder> event) {
            return event.getBean().endpointOverride(local.endpoint(local.getEnginePort())).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            credentials.accessKeyId(), credentials.secretAccessKey())));
        }
    }
}
