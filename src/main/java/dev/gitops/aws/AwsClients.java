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

import java.net.URI;

/**
 * The AWS SDK clients the controller uses, in AWS and locally alike. Builders are beans so that local mode can point
 * them at the embedded endpoints (see {@code local.LocalEndpoints}) without a branch here.
 */
@Factory
public class AwsClients {
    private final String region;
    private final String stepFunctionsEndpoint;
    private final String dynamoDbEndpoint;

    /**
     * @param stepFunctionsEndpoint {@code gitops.aws.endpoints.stepfunctions}: another Step Functions endpoint (a VPC
     *                              endpoint, an engine elsewhere); empty for the region's own
     * @param dynamoDbEndpoint      {@code gitops.aws.endpoints.dynamodb}, likewise
     */
    public AwsClients(@Value("${gitops.aws.region:}") String region,
                      @Value("${gitops.aws.endpoints.stepfunctions:}") String stepFunctionsEndpoint,
                      @Value("${gitops.aws.endpoints.dynamodb:}") String dynamoDbEndpoint) {
        this.region = region;
        this.stepFunctionsEndpoint = stepFunctionsEndpoint;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
    }

    @Bean
    public SfnClientBuilder sfnClientBuilder() {
        SfnClientBuilder builder = SfnClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (!region.isBlank()) {
            builder.region(Region.of(region));
        }
        if (!stepFunctionsEndpoint.isBlank()) {
            builder.endpointOverride(URI.create(stepFunctionsEndpoint));
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
        if (!dynamoDbEndpoint.isBlank()) {
            builder.endpointOverride(URI.create(dynamoDbEndpoint));
        }
        return builder;
    }

    @Singleton
    @Bean(preDestroy = "close")
    public DynamoDbClient dynamoDbClient(DynamoDbClientBuilder builder) {
        return builder.build();
    }
}
