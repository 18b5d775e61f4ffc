package dev.gitops.aws;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;

/**
 * The AWS SDK clients the controller uses, in AWS and locally alike. Builders are beans so that local mode can point
 * them at the embedded endpoints (see {@code local.LocalEndpoints}) without a branch here.
 */
@Factory
public class AwsClients {
    private final String region;

    public AwsClients(@Value("${gitops.aws.region:}") String region) {
        this.region = region;
    }

    @Bean
    public SfnClientBuilder sfnClientBuilder() {
        SfnClientBuilder builder = SfnClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (!region.isBlank()) {
            builder.region(Region.of(region));
        }
        return builder;
    }

    @Singleton
    @Bean(preDestroy = "close")
    public SfnClient sfnClient(SfnClientBuilder builder) {
        return builder.build();
    }

    @Bean
    public DynamoDbClientBuilder dynamoDbClientBuilder() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (!region.isBlank()) {
            builder.region(Region.of(region));
        }
        return builder;
    }

    @Singleton
    @Bean(preDestroy = "close")
    public DynamoDbClient dynamoDbClient(DynamoDbClientBuilder builder) {
        return builder.build();
    }
}
