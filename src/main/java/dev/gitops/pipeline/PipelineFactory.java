package dev.gitops.pipeline;

import dev.gitops.approval.ApprovalStore;
import dev.gitops.aws.Tables;
import dev.gitops.lock.LockStore;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;

/** The pipeline's DynamoDB stores and the clock they read, as beans. */
@Factory
public class PipelineFactory {
    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    public LockStore lockStore(DynamoDbClient dynamoDb, Tables tables, Clock clock) {
        return new LockStore(dynamoDb, tables.getLocks(), clock);
    }

    @Singleton
    public DeploymentStore deploymentStore(DynamoDbClient dynamoDb, Tables tables) {
        return new DeploymentStore(dynamoDb, tables.getDeployments());
    }

    @Singleton
    public ApprovalStore approvalStore(DynamoDbClient dynamoDb, Tables tables) {
        return new ApprovalStore(dynamoDb, tables.getApprovals());
    }
}
