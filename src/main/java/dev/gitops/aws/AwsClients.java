package dev.gitops.aws;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;

import java.net.URI;

/**
 * The AWS SDK clients the controller uses, in AWS and locally alike. Builders are beans so that local mode can point
 * them at the embedded endpoints (see {@code local.LocalEndpoints}) without a branch here.
 */
@Factory
public class AwsClients {
    private final AwsConfiguration config;

    public AwsClients(AwsConfiguration config) {
        this.config = config;
    }

    @Bean
    public SfnClientBuilder sfnClientBuilder() {
        SfnClientBuilder builder = SfnClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (config.getRegion() != null) {
            builder.region(Region.of(config.getRegion()));
        }
        if (config.getEndpoints().getStepfunctions() != null) {
            builder.endpointOverride(URI.create(config.getEndpoints().getStepfunctions()));
        }
        return builder;
    }

    @Singleton
    @Bean(preDestroy = "close")
    public SfnClient sfnClient(SfnClientBuilder builder) {
        return builder.build();
    }

    /** The plans bucket's client (approval pages read the plan's text from S3 in AWS). */
    @Singleton
    @Bean(preDestroy = "close")
    public S3Client s3Client() {
        S3ClientBuilder builder = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (config.getRegion() != null) {
            builder.region(Region.of(config.getRegion()));
        }
        return builder.build();
    }

    @Bean
    public DynamoDbClientBuilder dynamoDbClientBuilder() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (config.getRegion() != null) {
            builder.region(Region.of(config.getRegion()));
        }
        if (config.getEndpoints().getDynamodb() != null) {
            builder.endpointOverride(URI.create(config.getEndpoints().getDynamodb()));
        }
        return builder;
    }

    @Singleton
    @Bean(preDestroy = "close")
    public DynamoDbClient dynamoDbClient(DynamoDbClientBuilder builder) {
        return builder.build();
    }
}
