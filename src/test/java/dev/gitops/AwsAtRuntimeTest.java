package dev.gitops;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.changes.GitFixture;
import dev.gitops.http.PublicUrl;
import dev.gitops.secrets.SecretsManagerDouble;
import dev.gitops.webhook.Payloads;
import dev.gitops.webhook.WebhookClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the webhook function meets AWS at runtime, through the real Lambda handler: secrets read from Secrets Manager
 * (a stand-in) by their ARNs when first needed, never while starting; a delivery that starts nothing calls no AWS
 * service; an AWS that does not answer costs a delivery about the 2 s budget, then a 503 naming the store; without
 * {@code gitops.public-url}, links are made from the API's own address.
 */
class AwsAtRuntimeTest {
    private static final String SECRET = "secret kept in secrets manager";

    private final Map<String, String> properties = new HashMap<>();
    private SecretsManagerDouble secretsManager;
    private BlackHole aws;
    private GitFixture git;
    private LambdaHandler handler;

    @BeforeEach
    void start() throws Exception {
        secretsManager = new SecretsManagerDouble();
        aws = new BlackHole();
        Path root = Files.createTempDirectory("runtime-repos");
        git = GitFixture.create(root, "acme/infra");
        git.sampleInfrastructure();
        // What the SAM template gives the webhook function: ARNs, never values; AWS itself is a port that never answers.
        properties.putAll(Map.of("aws.region", "us-east-1", "aws.accessKeyId", "test", "aws.secretAccessKey", "test",
                "gitops.webhook.secret-arn", SecretsManagerDouble.arn("webhook"),
                "gitops.approval.link-secret-arn", SecretsManagerDouble.arn("link"),
                "gitops.aws.endpoints.secretsmanager", secretsManager.endpoint(),
                "gitops.aws.endpoints.dynamodb", aws.url(), "gitops.aws.endpoints.stepfunctions", aws.url(),
                "gitops.state-machine-arn", "arn:aws:states:us-east-1:123456789012:stateMachine:gitops-pipeline",
                "gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git"));
        properties.put("gitops.git.cache-dir", Files.createTempDirectory("runtime-git").toString());
        properties.forEach(System::setProperty);
        secretsManager.secrets.put(SecretsManagerDouble.arn("webhook"), SECRET);
        secretsManager.secrets.put(SecretsManagerDouble.arn("link"), "a link secret of some length");
        handler = new LambdaHandler();
    }

    @AfterEach
    void stop() throws IOException {
        handler.getApplicationContext().close();
        properties.keySet().forEach(System::clearProperty);
        secretsManager.close();
        aws.close();
        git.close();
    }

    @Test
    void theWebhookSecretIsReadFromItsArnOnTheFirstDeliveryNotAtStartAndChecksSignatures() throws Exception {
        assertEquals(List.of(), secretsManager.reads, "starting reads no secret");
        APIGatewayV2HTTPResponse ping = send(ApiGatewayEvents.webhook("ping", WebhookClient.newDelivery(), Payloads.fixture("ping"), SECRET));
        assertEquals(200, ping.getStatusCode(), ping.getBody());
        APIGatewayV2HTTPResponse forged = send(ApiGatewayEvents.webhook("ping", WebhookClient.newDelivery(), Payloads.fixture("ping"), "guess"));
        assertEquals(401, forged.getStatusCode(), forged.getBody());
        assertEquals(1, secretsManager.readsOf(SecretsManagerDouble.arn("webhook")), "read once, then kept (a failure"
                + " reads it again at most once a minute)");
    }

    @Test
    void withoutAConfiguredPublicUrlLinksUseTheAddressApiGatewayReports() {
        send(ApiGatewayEvents.webhook("ping", WebhookClient.newDelivery(), Payloads.fixture("ping"), SECRET));
        assertEquals("https://k3xmpl7f2a.execute-api.us-east-1.amazonaws.com",
                handler.getApplicationContext().getBean(PublicUrl.class).value());
    }

    @Test
    void aSecretsManagerOutageIsA503NamingTheSecretAndTheNextDeliveryReadsItAgain() throws Exception {
        secretsManager.down.set(true);
        APIGatewayV2HTTPResponse refused = send(ApiGatewayEvents.webhook("ping", WebhookClient.newDelivery(), Payloads.fixture("ping"), SECRET));
        assertEquals(503, refused.getStatusCode(), refused.getBody());
        JsonNode error = ApiGatewayEvents.MAPPER.readTree(refused.getBody());
        assertEquals("secret-unavailable", error.path("error").asText());
        assertTrue(error.path("message").asText().contains(SecretsManagerDouble.arn("webhook")), refused.getBody());
        secretsManager.down.set(false);
        assertEquals(200, send(ApiGatewayEvents.webhook("ping", WebhookClient.newDelivery(), Payloads.fixture("ping"), SECRET))
                .getStatusCode());
    }

    @Test
    void deliveriesThatStartNothingCallNoAwsServiceAtAll() {
        for (APIGatewayV2HTTPEvent event : List.of(
                ApiGatewayEvents.webhook("ping", WebhookClient.newDelivery(), Payloads.fixture("ping"), SECRET),
                ApiGatewayEvents.webhook("push", WebhookClient.newDelivery(),
                        Payloads.push("acme/infra", "refs/tags/v1", "0".repeat(40), git.head()), SECRET),
                ApiGatewayEvents.webhook("push", WebhookClient.newDelivery(),
                        Payloads.push("acme/infra", "refs/heads/unmapped", "0".repeat(40), git.head()), SECRET),
                ApiGatewayEvents.webhook("issues", WebhookClient.newDelivery(), Payloads.fixture("ping"), SECRET))) {
            APIGatewayV2HTTPResponse answer = send(event);
            assertTrue(answer.getStatusCode() < 300, answer.getBody());
        }
        assertEquals(List.of(), aws.connections, "no connection to DynamoDB or Step Functions");
    }

    @Test
    void anAwsThatDoesNotAnswerCostsADeliveryAboutTwoSecondsThenA503() {
        String before = git.checkout("main", false).head();
        git.write("infra/dns/records.tf", "# changed\n");
        String after = git.commit("change dns");
        git.pushBranch("main");
        long start = System.nanoTime();
        APIGatewayV2HTTPResponse answer = send(ApiGatewayEvents.webhook("push", WebhookClient.newDelivery(),
                Payloads.push("acme/infra", "refs/heads/main", before, after), SECRET));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, answer.getStatusCode(), answer.getBody());
        assertTrue(answer.getBody().contains("store-unavailable"), answer.getBody());
        assertTrue(millis < 4_000, "answered after " + millis + " ms: the budget is 2 s of calls (gitops.aws.call-timeout)");
        assertTrue(millis >= 1_500, "answered after " + millis + " ms: the store was given its 2 s");
    }

    private APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, new LambdaHandlerTest.TestLambdaContext());
    }

    /** Stands in for an AWS endpoint that accepts connections and never answers (an outage as a client sees it). */
    private static final class BlackHole implements AutoCloseable {
        final List<Socket> connections = new CopyOnWriteArrayList<>();
        private final ServerSocket server;

        BlackHole() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        connections.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "black-hole");
            accept.setDaemon(true);
            accept.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : connections) {
                socket.close();
            }
        }
    }
}
