package dev.gitops;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.aws.Moto;
import dev.gitops.changes.GitFixture;
import dev.gitops.webhook.Payloads;
import dev.gitops.webhook.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No delivery lost in Lambda: a delivery whose work outruns the sync budget is kept in S3 and its key queued (SQS)
 * before it is answered {@code accepted}; the hand-off function finishes it from the queue, starts its executions once,
 * records it, and forgets it; the queue giving the message again starts nothing more. S3 and SQS are moto's emulator
 * ({@link Moto#shared}), Step Functions the embedded engine's endpoint, DynamoDB DynamoDB Local.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandoffTest {
    private static final String SECRET = LambdaFixture.SECRET;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LambdaFixture lambda;
    private GitFixture git;
    private S3Client s3;
    private SqsClient sqs;
    private String queue;
    private LambdaHandler webhook;

    @BeforeAll
    void start() throws Exception {
        Moto moto = Moto.shared();
        lambda = new LambdaFixture("handoff");
        git = lambda.git;
        s3 = moto.s3();
        sqs = SqsClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        queue = sqs.createQueue(b -> b.queueName("gitops-handoff")).queueUrl();
        // what the SAM template adds for the webhook and hand-off functions; a sync budget no fetch fits in
        webhook = lambda.start(Map.of("gitops.aws.endpoints.sqs", moto.endpoint(), "gitops.webhook.sync-budget", "1ms",
                "gitops.handoff.location", "s3://gitops-plans/handoff", "gitops.handoff.queue-url", queue));
    }

    @AfterAll
    void stop() {
        s3.close();
        sqs.close();
        lambda.close();
    }

    @Test
    void aDeliveryThatOutrunsTheBudgetIsKeptQueuedThenFinishedOnceByTheHandoffFunction() throws Exception {
        String before = git.checkout("main", false).head();
        git.write("infra/dns/records.tf", "# handed off\n");
        String after = git.commit("change dns");
        git.pushBranch("main");
        String delivery = WebhookClient.newDelivery();

        APIGatewayV2HTTPResponse answer = webhook.handleRequest(ApiGatewayEvents.webhook("push", delivery,
                Payloads.push("acme/handoff", "refs/heads/main", before, after), SECRET), new LambdaHandlerTest.TestLambdaContext());
        assertEquals(202, answer.getStatusCode(), answer.getBody());
        assertTrue(MAPPER.readTree(answer.getBody()).path("accepted").asBoolean(), answer.getBody());
        String key = "handoff/" + delivery + ".json";
        JsonNode kept = MAPPER.readTree(s3.getObjectAsBytes(b -> b.bucket("gitops-plans").key(key)).asByteArray());
        assertEquals(after, kept.path("payload").path("after").asText(), "the delivery is kept before the answer");
        List<Message> queued = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        assertEquals(1, queued.size());

        JsonNode result = handoff(queued.get(0));
        assertEquals("[]", result.path("batchItemFailures").toString(), result.toString());
        List<String> started = executions(after);
        assertEquals(1, started.size(), "one stack changed, one execution: " + started);
        assertThrows(NoSuchKeyException.class, () -> s3.getObject(b -> b.bucket("gitops-plans").key(key)),
                "a finished delivery is forgotten");

        // SQS may give a message more than once: the second time finds nothing kept and starts nothing
        assertEquals("[]", handoff(queued.get(0)).path("batchItemFailures").toString());
        assertEquals(started, executions(after));

        // GitHub's redelivery of the same delivery is answered from its record, as started
        APIGatewayV2HTTPResponse redelivered = webhook.handleRequest(ApiGatewayEvents.webhook("push", delivery,
                Payloads.push("acme/handoff", "refs/heads/main", before, after), SECRET), new LambdaHandlerTest.TestLambdaContext());
        assertEquals(202, redelivered.getStatusCode(), redelivered.getBody());
        assertEquals(started, executions(after));
    }

    @Test
    void aDeliveryThatCannotBeFinishedYetIsGivenBackToTheQueue() throws Exception {
        String delivery = WebhookClient.newDelivery();
        String key = "handoff/" + delivery + ".json";
        // a push whose commits the repository does not have: the fetch finds nothing to diff, a 502, so SQS retries
        s3.putObject(b -> b.bucket("gitops-plans").key(key), software.amazon.awssdk.core.sync.RequestBody.fromString(
                MAPPER.createObjectNode().put("event", "push").put("delivery", delivery)
                        .set("payload", Payloads.push("acme/missing", "refs/heads/main", "a".repeat(40), "b".repeat(40))).toString()));
        String body = MAPPER.createObjectNode().put("bucket", "gitops-plans").put("key", key).put("delivery", delivery).toString();
        JsonNode result = invokeHandoff(sqsEvent("m-1", body));
        assertEquals("m-1", result.path("batchItemFailures").path(0).path("itemIdentifier").asText(), result.toString());
        s3.headObject(b -> b.bucket("gitops-plans").key(key)); // still kept for the next attempt
    }

    private JsonNode handoff(Message message) throws Exception {
        return invokeHandoff(sqsEvent(message.messageId(), message.body()));
    }

    private static String sqsEvent(String id, String body) {
        return MAPPER.createObjectNode().set("Records", MAPPER.createArrayNode().add(MAPPER.createObjectNode()
                .put("messageId", id).put("body", body).put("eventSource", "aws:sqs"))).toString();
    }

    private JsonNode invokeHandoff(String event) throws Exception {
        return lambda.invoke("webhook-handoff", event);
    }

    private List<String> executions(String sha) {
        return lambda.executions(sha);
    }
}
