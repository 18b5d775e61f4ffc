package dev.gitops.aws;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

/**
 * The AWS SDK clients the controller uses, in AWS and locally alike, each with {@code gitops.aws.call-timeout} over all
 * its attempts ({@code gitops.aws.max-attempts}), each attempt an equal share of it. Builders are beans so that local mode can point them at the embedded
 * endpoints (see {@code local.LocalEndpoints}) without a branch here. Clients are built when first used: a delivery
 * that starts nothing builds none.
 */
@Factory
public class AwsClients {
    /** Objects (source archives, handed-off deliveries) are larger than API calls: S3 gets this long per call. */
    private static final Duration S3_CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private final AwsConfiguration config;

    public AwsClients(AwsConfiguration config) {
        this.config = config;
    }

    @Bean
    public SfnClientBuilder sfnClientBuilder() {
        return configured(SfnClient.builder(), config.getEndpoints().getStepfunctions(), config.getCallTimeout());
    }

    @Singleton
    @Bean(preDestroy = "close")
    public SfnClient sfnClient(SfnClientBuilder builder) {
        return builder.build();
    }

    @Bean
    public DynamoDbClientBuilder dynamoDbClientBuilder() {
        return configured(DynamoDbClient.builder(), config.getEndpoints().getDynamodb(), config.getCallTimeout());
    }

    @Singleton
    @Bean(preDestroy = "close")
    public DynamoDbClient dynamoDbClient(DynamoDbClientBuilder builder) {
        return builder.build();
    }

    /** The plans bucket's client: plan texts, source archives, handed-off deliveries. */
    @Singleton
    @Bean(preDestroy = "close")
    public S3Client s3Client() {
        S3ClientBuilder builder = configured(S3Client.builder(), config.getEndpoints().getS3(), S3_CALL_TIMEOUT);
        if (config.getEndpoints().getS3() != null) {
            builder.forcePathStyle(true);
        }
        return builder.build();
    }

    @Bean
    public SecretsManagerClientBuilder secretsManagerClientBuilder() {
        return configured(SecretsManagerClient.builder(), config.getEndpoints().getSecretsmanager(), config.getCallTimeout());
    }

    /** Secrets given by ARN ({@code gitops.*-arn}), read when first needed. */
    @Singleton
    @Bean(preDestroy = "close")
    public SecretsManagerClient secretsManagerClient(SecretsManagerClientBuilder builder) {
        return builder.build();
    }

    /** The hand-off queue of deliveries that outrun the sync budget in Lambda. */
    @Singleton
    @Bean(preDestroy = "close")
    public SqsClient sqsClient() {
        return configured(SqsClient.builder(), config.getEndpoints().getSqs(), config.getCallTimeout()).build();
    }

    private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configured(B builder, String endpoint, Duration callTimeout) {
        if (config.getRegion() != null) {
            builder.region(Region.of(config.getRegion()));
        }
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        // each attempt gets its share of the call, so a hung first attempt leaves time for the next
        Duration attempt = callTimeout.dividedBy(config.getMaxAttempts());
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
                .apiCallTimeout(callTimeout)
                .apiCallAttemptTimeout(attempt)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(config.getMaxAttempts()).build())
                .build());
        return builder.httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(attempt));
    }
}
