package dev.gitops;

import dev.gitops.runtime.Entropy;
import dev.gitops.secrets.SecretsManagerDouble;
import dev.gitops.webhook.FrontDoor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SnapStart's hooks, called directly as Lambda's runtime calls them (no CRaC JDK here; {@code LambdaArtifactIT} runs
 * them through the runtime interface client). The webhook function's init is lean: no SDK client, no front door until
 * a request needs them; the checkpoint hook builds them and answers a signed ping through the handler, without
 * credentials (none are configured here: the priming must resolve none); the restore hook renews the random generator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapStartPrimingTest {
    private final Map<String, String> properties = new HashMap<>();
    private LambdaHandler handler;

    @BeforeAll
    void start() {
        // what the template gives the function, less credentials: a priming that resolved them would fail here
        properties.putAll(Map.of("aws.region", "us-east-1", "gitops.webhook.secret", "priming test secret",
                "gitops.state-machine-arn", "arn:aws:states:us-east-1:123456789012:stateMachine:gitops-pipeline",
                "gitops.approval.link-secret", "priming test link secret", "gitops.public-url", "https://gitops.example.com",
                "aws.sharedCredentialsFile", "/nonexistent/credentials", "aws.configFile", "/nonexistent/config"));
        properties.forEach(System::setProperty);
        handler = new LambdaHandler();
    }

    @AfterAll
    void stop() {
        handler.getApplicationContext().close();
        properties.keySet().forEach(System::clearProperty);
    }

    @Test
    void theCheckpointHookPrimesWhatTheFirstRequestNeedsAndTheRestoreHookRenewsTheRandomGenerator() {
        var context = handler.getApplicationContext();
        for (Class<?> heavy : List.of(DynamoDbClient.class, SfnClient.class, S3Client.class, FrontDoor.class)) {
            assertTrue(context.getActiveBeanRegistrations(heavy).isEmpty(), heavy.getSimpleName() + " is not built at init");
        }
        SnapStartPriming priming = context.getBean(SnapStartPriming.class);

        priming.beforeCheckpoint(null);

        SnapStartPriming.Report report = priming.last();
        assertEquals(List.of(), report.failures(), report.toString());
        assertEquals(List.of("jackson", "hmac", "sdk", "jgit", "front door", "ping"), List.copyOf(report.millis().keySet()));
        assertEquals(200, report.pingStatus(), "a signed ping answered through the handler");
        for (Class<?> heavy : List.of(DynamoDbClient.class, SfnClient.class, S3Client.class, FrontDoor.class)) {
            assertEquals(1, context.getActiveBeanRegistrations(heavy).size(), heavy.getSimpleName() + " is built before the snapshot");
        }

        int generation = Entropy.generation();
        priming.afterRestore(null);
        assertNotEquals(generation, Entropy.generation(), "a restored function draws from a generator of its own");
    }

    /** A secret read before the snapshot would live in it: with the webhook secret by ARN, the priming reads none. */
    @Test
    void withSecretsGivenByArnThePrimingReadsNoneAndGoesThroughTheHandlerWithoutOne() throws Exception {
        try (SecretsManagerDouble secretsManager = new SecretsManagerDouble()) {
            secretsManager.secrets.put(SecretsManagerDouble.arn("webhook"), "from the manager");
            Map<String, String> byArn = new HashMap<>(properties);
            byArn.remove("gitops.webhook.secret");
            byArn.put("gitops.webhook.secret-arn", SecretsManagerDouble.arn("webhook"));
            byArn.put("gitops.aws.endpoints.secretsmanager", secretsManager.endpoint());
            System.clearProperty("gitops.webhook.secret");
            byArn.forEach(System::setProperty);
            LambdaHandler arnHandler = new LambdaHandler();
            try {
                SnapStartPriming priming = arnHandler.getApplicationContext().getBean(SnapStartPriming.class);
                priming.beforeCheckpoint(null);
                assertEquals(List.of(), priming.last().failures(), priming.last().toString());
                assertTrue(priming.last().millis().containsKey("health"), priming.last().toString());
                assertEquals(200, priming.last().pingStatus());
                assertEquals(List.of(), secretsManager.reads, "no secret is in the snapshot");
            } finally {
                arnHandler.getApplicationContext().close();
                System.clearProperty("gitops.webhook.secret-arn");
                System.clearProperty("gitops.aws.endpoints.secretsmanager");
                properties.forEach(System::setProperty);
            }
        }
    }
}
