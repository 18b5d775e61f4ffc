package dev.gitops;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.gitops.changes.GitFixture;
import dev.gitops.webhook.Payloads;
import dev.gitops.webhook.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GitHub never retries a failed delivery: the reconciler (the {@code reconciler} function, as an EventBridge schedule
 * calls it) lists the hook's deliveries and asks again, once each, for those the controller never answered with a 2xx.
 * GitHub is a stand-in ({@link GithubHook}) that plays both its deliveries API and its sending of deliveries to the
 * webhook function; Step Functions is the embedded engine's endpoint, DynamoDB DynamoDB Local.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconcilerTest {
    private static final String SECRET = LambdaFixture.SECRET;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LambdaFixture lambda;
    private GitFixture git;
    private LambdaHandler webhook;
    private GithubHook github;

    @BeforeAll
    void start() throws Exception {
        lambda = new LambdaFixture("recon");
        git = lambda.git;
        github = new GithubHook();
        webhook = lambda.start(Map.of("gitops.reconciler.enabled", "true", "gitops.reconciler.hooks", "acme/recon:7",
                "gitops.github.api-url", github.url(), "gitops.github.token", "github-token"));
    }

    @AfterAll
    void stop() {
        github.close();
        lambda.close();
    }

    @Test
    void aDeliveryThatNeverArrivedIsRedeliveredOnceAndItsExecutionsStartOnce() throws Exception {
        String[] push = change("infra/dns/records.tf");
        String guid = WebhookClient.newDelivery();
        github.lost(guid, "push", Payloads.push("acme/recon", "refs/heads/main", push[0], push[1]));
        String answered = WebhookClient.newDelivery();
        github.deliver(answered, "push", Payloads.push("acme/recon", "refs/heads/main", push[0], push[0]));

        JsonNode pass = reconcile();
        assertEquals(List.of(guid), MAPPER.convertValue(pass.path("redelivered"), List.class), pass.toString());
        assertEquals(1, executions(push[1]).size(), "the redelivery started the push's one stack");
        assertEquals(202, github.lastStatus(guid));

        JsonNode again = reconcile();
        assertEquals(0, again.path("redelivered").size(), "answered now, nothing to ask again: " + again);
        assertEquals(1, executions(push[1]).size());
        assertEquals(List.of(guid), github.redeliveries, "asked for once, by guid");
    }

    @Test
    void aRedeliveryThatFailsAgainIsNotAskedForASecondTimeAndRefusalsAreNotAskedForAtAll() throws Exception {
        String guid = WebhookClient.newDelivery();
        github.failing.add(guid);
        github.lost(guid, "push", Payloads.push("acme/recon", "refs/heads/main", git.head(), git.head()));
        String refused = WebhookClient.newDelivery();
        github.record(refused, "push", 401, "Invalid HTTP Response: 401");

        JsonNode first = reconcile();
        assertTrue(first.path("redelivered").toString().contains(guid), first.toString());
        assertTrue(!first.path("redelivered").toString().contains(refused), "a 4xx refusal would be refused again");
        JsonNode second = reconcile();
        assertTrue(!second.path("redelivered").toString().contains(guid), "once each: " + second);
    }

    @Test
    void aRedeliveryGithubRefusesIsAskedForAgainOnTheNextPass() throws Exception {
        String guid = WebhookClient.newDelivery();
        github.unredeliverable.add(guid);
        github.lost(guid, "push", Payloads.push("acme/recon", "refs/heads/main", git.head(), git.head()));
        JsonNode first = reconcile();
        assertTrue(!first.path("redelivered").toString().contains(guid), first.toString());
        assertTrue(first.path("problems").toString().contains("502"), first.toString());
        github.unredeliverable.remove(guid);
        JsonNode second = reconcile();
        assertTrue(second.path("redelivered").toString().contains(guid), "the claim was given back: " + second);
    }

    private String[] change(String path) {
        String before = git.checkout("main", false).head();
        git.write(path, "# " + System.nanoTime() + "\n");
        String sha = git.commit("change " + path);
        git.pushBranch("main");
        return new String[] {before, sha};
    }

    private JsonNode reconcile() throws IOException {
        return lambda.invoke("reconciler", "{\"source\":\"aws.scheduler\"}");
    }

    private List<String> executions(String sha) {
        return lambda.executions(sha);
    }

    /**
     * A test double for GitHub's side of one repository webhook (hook 7 of acme/recon): it sends deliveries to the
     * webhook function (or loses them, as a timeout would), lists every attempt newest first as GitHub's deliveries
     * API does, and on {@code POST .../attempts} sends the delivery again under the same guid and lists the attempt.
     */
    private final class GithubHook implements AutoCloseable {
        private record Sent(String guid, String event, ObjectNode payload) {
        }

        final List<String> redeliveries = new CopyOnWriteArrayList<>();
        final List<String> failing = new CopyOnWriteArrayList<>();
        /** Guids whose redelivery GitHub refuses (its API having a bad moment). */
        final List<String> unredeliverable = new CopyOnWriteArrayList<>();
        private final ArrayNode attempts = MAPPER.createArrayNode();
        private final Map<Long, Sent> sent = new java.util.concurrent.ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong(1000);
        private final HttpServer server;

        GithubHook() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/repos/acme/recon/hooks/7/deliveries", exchange -> {
                String path = exchange.getRequestURI().getPath();
                byte[] body;
                int status;
                if (!"Bearer github-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    status = 401;
                    body = "{\"message\":\"Bad credentials\"}".getBytes(StandardCharsets.UTF_8);
                } else if ("GET".equals(exchange.getRequestMethod())) {
                    status = 200;
                    synchronized (this) {
                        body = MAPPER.writeValueAsBytes(attempts);
                    }
                } else if (unredeliverable.contains(sent.get(Long.parseLong(path.replaceAll(".*/deliveries/([0-9]+)/attempts", "$1"))).guid())) {
                    status = 502;
                    body = "{\"message\":\"Server Error\"}".getBytes(StandardCharsets.UTF_8);
                } else {
                    long id = Long.parseLong(path.replaceAll(".*/deliveries/([0-9]+)/attempts", "$1"));
                    Sent again = sent.get(id);
                    redeliveries.add(again.guid());
                    send(again, true);
                    status = 202;
                    body = "{}".getBytes(StandardCharsets.UTF_8);
                }
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** Delivers for real and lists the attempt with the answer's status. */
        void deliver(String guid, String event, ObjectNode payload) {
            send(new Sent(guid, event, payload), false);
        }

        /** A delivery that never reached the controller (GitHub lists it as timed out, status 0). */
        void lost(String guid, String event, ObjectNode payload) {
            sent.put(record(guid, event, 0, "timed out"), new Sent(guid, event, payload));
        }

        synchronized long record(String guid, String event, int status, String text) {
            long id = ids.incrementAndGet();
            attempts.insert(0, MAPPER.createObjectNode().put("id", id).put("guid", guid)
                    .put("delivered_at", Instant.now().toString()).put("redelivery", false).put("status", text)
                    .put("status_code", status).put("event", event).putNull("action"));
            return id;
        }

        synchronized int lastStatus(String guid) {
            for (JsonNode attempt : attempts) {
                if (attempt.path("guid").asText().equals(guid)) {
                    return attempt.path("status_code").asInt();
                }
            }
            return -1;
        }

        private void send(Sent delivery, boolean redelivery) {
            int status;
            if (failing.contains(delivery.guid())) {
                status = 502;
            } else {
                APIGatewayV2HTTPResponse answer = webhook.handleRequest(ApiGatewayEvents.webhook(delivery.event(),
                        delivery.guid(), delivery.payload(), SECRET), new LambdaHandlerTest.TestLambdaContext());
                status = answer.getStatusCode();
            }
            long id = record(delivery.guid(), delivery.event(), status, status == 202 ? "OK" : "Invalid HTTP Response: " + status);
            synchronized (this) {
                ((ObjectNode) attempts.get(0)).put("redelivery", redelivery);
            }
            sent.put(id, delivery);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
