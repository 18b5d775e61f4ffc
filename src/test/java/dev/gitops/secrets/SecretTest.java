package dev.gitops.secrets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secrets given directly or by ARN, read through the real SDK client from a stand-in of Secrets Manager. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretTest {
    private SecretsManagerDouble secretsManager;
    private SecretsManagerClient client;
    private Instant now = Instant.parse("2026-12-07T10:00:00Z");
    /** Test time: it moves when a test says so. */
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private Secrets secrets;

    @BeforeAll
    void start() throws Exception {
        secretsManager = new SecretsManagerDouble();
        client = SecretsManagerClient.builder().endpointOverride(URI.create(secretsManager.endpoint()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
        secrets = new Secrets(() -> client, clock);
    }

    @AfterAll
    void stop() {
        client.close();
        secretsManager.close();
    }

    @Test
    void aValueGivenDirectlyWinsOverItsArnAndNothingIsRead() {
        String arn = SecretsManagerDouble.arn("direct");
        secretsManager.secrets.put(arn, "from the manager");
        Secret secret = secrets.of("gitops.webhook.secret", "given", arn);
        assertEquals(Optional.of("given"), secret.value());
        assertFalse(secret.reread());
        assertEquals(0, secretsManager.readsOf(arn));
    }

    @Test
    void anArnIsReadWhenFirstNeededThenKept() {
        String arn = SecretsManagerDouble.arn("kept");
        secretsManager.secrets.put(arn, "s3cret\n");
        Secret secret = secrets.of("gitops.admin-token", null, arn);
        assertTrue(secret.configured());
        assertEquals(0, secretsManager.readsOf(arn), "nothing is read before the secret is needed");
        assertEquals(Optional.of("s3cret"), secret.value(), "a trailing newline from `create-secret` is not part of it");
        assertEquals(Optional.of("s3cret"), secret.value());
        assertEquals(1, secretsManager.readsOf(arn));
    }

    @Test
    void aRotationIsFollowedByRereadingAtMostOnceAMinute() {
        String arn = SecretsManagerDouble.arn("rotated");
        secretsManager.secrets.put(arn, "before");
        Secret secret = secrets.of("gitops.webhook.secret", null, arn);
        assertEquals("before", secret.value().orElseThrow());
        secretsManager.secrets.put(arn, "after");
        assertFalse(secret.reread(), "read less than a minute ago: not asked again (forged requests cannot flood it)");
        assertEquals("before", secret.value().orElseThrow());
        now = now.plus(Duration.ofSeconds(61));
        assertTrue(secret.reread());
        assertEquals("after", secret.value().orElseThrow());
        assertEquals(2, secretsManager.readsOf(arn));
    }

    @Test
    void aValueIsReadAgainAfterFiveMinutesSoEveryRotationReachesWarmFunctionsAndAnOutageKeepsTheKnownValue() {
        String arn = SecretsManagerDouble.arn("aged");
        secretsManager.secrets.put(arn, "first");
        Secret secret = secrets.of("gitops.admin-token", null, arn);
        assertEquals("first", secret.value().orElseThrow());
        secretsManager.secrets.put(arn, "rotated");
        now = now.plus(Duration.ofMinutes(4));
        assertEquals("first", secret.value().orElseThrow(), "kept for five minutes");
        now = now.plus(Duration.ofMinutes(2));
        assertEquals("rotated", secret.value().orElseThrow());
        secretsManager.down.set(true);
        try {
            now = now.plus(Duration.ofMinutes(6));
            assertEquals("rotated", secret.value().orElseThrow(), "Secrets Manager down: the known value stands");
            assertFalse(secret.reread(), "nor does a reread after a mismatch fail the request");
        } finally {
            secretsManager.down.set(false);
        }
    }

    @Test
    void aSecretManagerThatCannotAnswerIsASentenceNamingTheSecretAndTheNextUseTriesAgain() {
        String arn = SecretsManagerDouble.arn("unknown");
        Secret secret = secrets.of("gitops.github.token", null, arn);
        SecretUnavailable refused = assertThrows(SecretUnavailable.class, secret::value);
        assertTrue(refused.getMessage().contains(arn), refused.getMessage());
        secretsManager.secrets.put(arn, "now there");
        assertEquals("now there", secret.value().orElseThrow());
    }

    @Test
    void anUnsetSecretIsEmptyAndReadsNothing() {
        Secret secret = secrets.of("gitops.slack.webhook-url", null, null);
        assertFalse(secret.configured());
        assertEquals(Optional.empty(), secret.value());
    }
}
