package dev.gitops;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.approval.Approval;
import dev.gitops.approval.ApprovalLinks;
import dev.gitops.approval.ApprovalRequest;
import dev.gitops.approval.ApprovalStore;
import dev.gitops.aws.Tables;
import dev.gitops.aws.Moto;
import dev.gitops.changes.GitFixture;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.http.PublicUrl;
import dev.gitops.engine.EngineHarness;
import dev.gitops.webhook.Payloads;
import dev.gitops.webhook.Signatures;
import dev.gitops.webhook.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda entry points, driven through the real handlers with recorded API Gateway events (HTTP API payload 2.0,
 * REST payload 1.0). The controller runs in the function environment (no local mode) and reaches a real engine
 * endpoint and DynamoDB Local through gitops.aws.endpoints.*, as it would reach AWS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaHandlerTest {
    private static final String SECRET = "lambda test secret";
    private static final String LINK_SECRET = "lambda test link secret";
    private final String approvalsTable = TestDynamoDb.table("lambda-approvals", "id");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).build();

    private final Map<String, String> properties = new HashMap<>();
    private EngineHarness engine;
    private LambdaHandler httpApi;
    private LambdaHandler.RestApi restApi;
    private GitFixture git;
    private String base;

    @BeforeAll
    void start() throws Exception {
        // The pipeline's builds are not this test's business: a runner whose builds never end stands in (a test double).
        engine = EngineHarness.manual(new dev.gitops.engine.tasks.CodeBuildTaskHandler(
                request -> new java.util.concurrent.CompletableFuture<>(), java.time.Clock.systemUTC(), "us-east-1", "123456789012"));
        String machine = engine.machine("gitops-pipeline", Files.readString(Path.of("statemachine/pipeline.asl.json")));
        Path root = Files.createTempDirectory("lambda-repos");
        git = GitFixture.create(root, "acme/infra");
        base = git.sampleInfrastructure();
        // What the Lambda runtime and the SAM template give the function; the endpoints stand in for AWS's.
        properties.putAll(Map.of("aws.region", "us-east-1", "aws.accessKeyId", "test", "aws.secretAccessKey", "test",
                "gitops.webhook.secret", SECRET, "gitops.state-machine-arn", machine,
                "gitops.aws.endpoints.stepfunctions", "http://127.0.0.1:" + engine.server.port(),
                "gitops.aws.endpoints.dynamodb", TestDynamoDb.endpoint().toString(),
                "gitops.tables.deliveries", TestDynamoDb.table("deliveries", "delivery"),
                "gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git",
                "gitops.git.cache-dir", Files.createTempDirectory("lambda-git").toString()));
        properties.put("gitops.approval.link-secret", LINK_SECRET);
        properties.put("gitops.tables.approvals", approvalsTable);
        properties.put("gitops.public-url", "https://gitops.example.com");
        // S3 (the source archives builds start from) is moto's emulator
        properties.put("gitops.aws.endpoints.s3", Moto.shared().endpoint());
        properties.put("gitops.sources.location", "s3://gitops-plans/sources");
        properties.forEach(System::setProperty);
        httpApi = new LambdaHandler();
        restApi = new LambdaHandler.RestApi();
    }

    @AfterAll
    void stop() {
        httpApi.getApplicationContext().close();
        restApi.getApplicationContext().close();
        properties.keySet().forEach(System::clearProperty);
        engine.close();
        git.close();
    }

    @Test
    void healthAnswersThroughBothApiGatewayFlavoursWithoutLocalServices() throws Exception {
        APIGatewayV2HTTPResponse v2 = httpApi.handleRequest(event("apigateway/http-api-v2-get-health.json", APIGatewayV2HTTPEvent.class),
                new TestLambdaContext());
        APIGatewayProxyResponseEvent v1 = restApi.handleRequest(event("apigateway/get-health.json", APIGatewayProxyRequestEvent.class),
                new TestLambdaContext());
        for (String body : List.of(v2.getBody(), v1.getBody())) {
            JsonNode health = MAPPER.readTree(body);
            assertEquals("UP", health.get("status").asText());
            assertEquals("aws", health.get("mode").asText());
        }
        assertEquals(200, v2.getStatusCode());
        assertEquals(200, v1.getStatusCode());
    }

    @Test
    void aSignedPushWithABase64BodyStartsItsStackThroughTheHttpApi() throws Exception {
        String[] push = change("infra/dns/records.tf");
        String sha = push[1];
        String delivery = WebhookClient.newDelivery();
        APIGatewayV2HTTPResponse response = httpApi.handleRequest(v2(delivery, Payloads.push("acme/infra", "refs/heads/main", push[0], sha),
                SECRET), new TestLambdaContext());

        assertEquals(202, response.getStatusCode(), response.getBody());
        JsonNode answer = MAPPER.readTree(response.getBody());
        assertEquals("prd", answer.path("environment").asText(), response.getBody());
        assertEquals("infra/dns", answer.path("stacks").get(0).path("name").asText());
        String arn = answer.path("executions").get(0).path("executionArn").asText();
        assertEquals(sha, MAPPER.readTree(engine.sfn.describeExecution(b -> b.executionArn(arn)).input()).path("sha").asText());

        APIGatewayV2HTTPResponse again = httpApi.handleRequest(v2(delivery, Payloads.push("acme/infra", "refs/heads/main", push[0], sha),
                SECRET), new TestLambdaContext());
        assertEquals(202, again.getStatusCode());
        assertEquals(answer, MAPPER.readTree(again.getBody()), "a redelivery gets the same answer");
    }

    @Test
    void aSignedPushThroughTheRestApiGetsTheSameAnswerAsNetty() throws Exception {
        String[] push = change("infra/vpc/env_specific_vars/prd.tfvars");
        APIGatewayProxyRequestEvent event = event("apigateway/rest-v1-webhook.json", APIGatewayProxyRequestEvent.class);
        byte[] body = Payloads.push("acme/infra", "refs/heads/main", push[0], push[1]).toString().getBytes(StandardCharsets.UTF_8);
        String delivery = WebhookClient.newDelivery();
        event.setBody(new String(body, StandardCharsets.UTF_8));
        event.getHeaders().put("X-Hub-Signature-256", Signatures.sign(SECRET.getBytes(StandardCharsets.UTF_8), body));
        event.getHeaders().put("X-GitHub-Delivery", delivery);
        event.getMultiValueHeaders().put("X-Hub-Signature-256", List.of(event.getHeaders().get("X-Hub-Signature-256")));
        event.getMultiValueHeaders().put("X-GitHub-Delivery", List.of(delivery));

        APIGatewayProxyResponseEvent response = restApi.handleRequest(event, new TestLambdaContext());
        assertEquals(202, response.getStatusCode(), response.getBody());
        JsonNode answer = MAPPER.readTree(response.getBody());
        assertEquals("env file infra/vpc/env_specific_vars/prd.tfvars", answer.path("stacks").get(0).path("reasons").get(0).asText());
    }

    @Test
    void aForgedSignatureIs401ThroughLambdaToo() throws Exception {
        APIGatewayV2HTTPResponse response = httpApi.handleRequest(v2(WebhookClient.newDelivery(),
                Payloads.push("acme/infra", "refs/heads/main", base, base), "not the secret"), new TestLambdaContext());
        assertEquals(401, response.getStatusCode());
        assertEquals("signature-mismatch", MAPPER.readTree(response.getBody()).path("error").asText());
    }

    @Test
    void inAwsTheReadApiRefusesEveryReadWhileNoReadTokenIsSet() throws Exception {
        APIGatewayV2HTTPEvent get = event("apigateway/http-api-v2-get-health.json", APIGatewayV2HTTPEvent.class);
        get.setRawPath("/api/locks");
        get.getRequestContext().getHttp().setPath("/api/locks");
        APIGatewayV2HTTPResponse response = httpApi.handleRequest(get, new TestLambdaContext());
        assertEquals(401, response.getStatusCode(), response.getBody());
        assertTrue(response.getBody().contains("read-token-not-configured"), response.getBody());
    }

    @Test
    void pingAnswersPong() throws Exception {
        APIGatewayV2HTTPEvent event = v2(WebhookClient.newDelivery(), Payloads.fixture("ping"), SECRET);
        event.getHeaders().put("x-github-event", "ping");
        APIGatewayV2HTTPResponse response = httpApi.handleRequest(event, new TestLambdaContext());
        assertEquals(200, response.getStatusCode());
        assertTrue(MAPPER.readTree(response.getBody()).path("pong").asBoolean());
    }

    @Test
    void lambdasStreamEntryReadsTheRecordedEventAndWritesTheAnswerAsTheRuntimeWould() throws Exception {
        // the entry Lambda calls (the overload with the most parameters): raw event in, raw answer out
        ObjectNode event = (ObjectNode) MAPPER.readTree(LambdaHandlerTest.class.getClassLoader()
                .getResourceAsStream("apigateway/http-api-v2-webhook.json"));
        byte[] body = Payloads.fixture("ping").toString().getBytes(StandardCharsets.UTF_8);
        event.put("body", Base64.getEncoder().encodeToString(body));
        ((ObjectNode) event.get("headers")).put("x-github-event", "ping").put("content-length", Integer.toString(body.length))
                .put("x-hub-signature-256", Signatures.sign(SECRET.getBytes(StandardCharsets.UTF_8), body));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        httpApi.handleRequest(new java.io.ByteArrayInputStream(MAPPER.writeValueAsBytes(event)), out, new TestLambdaContext());

        JsonNode answer = MAPPER.readTree(out.toByteArray());
        assertEquals(200, answer.path("statusCode").asInt(), answer.toString());
        assertTrue(MAPPER.readTree(answer.path("body").asText()).path("pong").asBoolean(), answer.toString());
        List<String> types = new java.util.ArrayList<>();
        answer.path("headers").fields().forEachRemaining(h -> {
            if (h.getKey().equalsIgnoreCase("content-type")) {
                types.add(h.getValue().asText());
            }
        });
        assertEquals(List.of("application/json"), types, answer.toString());
        assertTrue(answer.has("isBase64Encoded") && !answer.toString().contains(":null"), "no null fields: " + answer);
    }

    /** A pushed change on main: {before, after}. */
    private synchronized String[] change(String path) {
        String before = git.checkout("main", false).head();
        git.write(path, "# " + System.nanoTime() + "\n");
        String sha = git.commit("change " + path);
        git.pushBranch("main");
        return new String[] {before, sha};
    }

    /** The recorded HTTP API event with this delivery's body (base64, as API Gateway hands it over) and signature. */
    @Test
    void aFormEncodedSignedPushIsVerifiedOverItsRawBytesBehindTheHttpApi() throws Exception {
        // Micronaut's Lambda proxy parses form bodies into a map: the signature must still be checked on the bytes sent
        String[] push = change("infra/dns/records.tf");
        String json = Payloads.push("acme/infra", "refs/heads/main", push[0], push[1]).toString();
        byte[] form = ("payload=" + java.net.URLEncoder.encode(json, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        APIGatewayV2HTTPEvent event = event("apigateway/http-api-v2-webhook.json", APIGatewayV2HTTPEvent.class);
        event.setBody(Base64.getEncoder().encodeToString(form));
        event.setIsBase64Encoded(true);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("content-type", "application/x-www-form-urlencoded");
        headers.put("x-hub-signature-256", Signatures.sign(SECRET.getBytes(StandardCharsets.UTF_8), form));
        headers.put("x-github-delivery", WebhookClient.newDelivery());
        headers.put("content-length", Integer.toString(form.length));
        event.setHeaders(headers);
        APIGatewayV2HTTPResponse response = httpApi.handleRequest(event, new TestLambdaContext());
        assertEquals(202, response.getStatusCode(), response.getBody());
        assertEquals("infra/dns", MAPPER.readTree(response.getBody()).path("stacks").get(0).path("name").asText());
    }

    @Test
    void theApprovalPagesCsrfCookieSurvivesTheHttpApi() throws Exception {
        // a pending approval whose task token Step Functions does not know: a decision that gets through the page's
        // checks (signature, Origin, CSRF cookie and token) ends "too late" (410), one that does not ends 403
        Tables tables = new Tables();
        tables.setApprovals(approvalsTable);
        ApprovalStore store = new ApprovalStore(TestDynamoDb.client(), tables, MAPPER);
        ApprovalRequest request = new ApprovalRequest("unknown-token",
                "arn:aws:states:us-east-1:123456789012:execution:gitops-pipeline:x", "acme/infra",
                new ExecutionInput.Stack("infra/dns", "infra/dns", null, null), "prd", "a".repeat(40), null, null, null,
                null, null);
        Approval approval = store.putPending(request, java.time.Instant.now(), java.time.Instant.now().plusSeconds(3600));
        String link = new ApprovalLinks(() -> LINK_SECRET.getBytes(StandardCharsets.UTF_8),
                new PublicUrl("https://gitops.example.com")).link(approval.id(), approval.expiresAt());
        String sig = link.substring(link.indexOf("sig=") + 4);

        APIGatewayV2HTTPEvent get = event("apigateway/http-api-v2-get-health.json", APIGatewayV2HTTPEvent.class);
        get.setRawPath("/approvals/" + approval.id());
        get.setRawQueryString("sig=" + sig);
        get.setQueryStringParameters(Map.of("sig", sig));
        get.getRequestContext().getHttp().setPath("/approvals/" + approval.id());
        get.setHeaders(Map.of("accept", "text/html,application/xhtml+xml,*/*;q=0.8"));
        APIGatewayV2HTTPResponse page = httpApi.handleRequest(get, new TestLambdaContext());
        assertEquals(200, page.getStatusCode(), page.getBody());
        List<String> setCookies = new java.util.ArrayList<>(page.getCookies() == null ? List.of() : page.getCookies());
        if (page.getMultiValueHeaders() != null && page.getMultiValueHeaders().get("Set-Cookie") != null) {
            setCookies.addAll(page.getMultiValueHeaders().get("Set-Cookie"));
        }
        if (page.getHeaders() != null && page.getHeaders().get("Set-Cookie") != null) {
            setCookies.add(page.getHeaders().get("Set-Cookie"));
        }
        String cookie = setCookies.stream().filter(c -> c.startsWith("gitops-csrf=")).findFirst().orElseThrow().split(";")[0];
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.getBody());
        assertTrue(csrf.find());

        APIGatewayV2HTTPEvent post = event("apigateway/http-api-v2-webhook.json", APIGatewayV2HTTPEvent.class);
        post.setRawPath("/approvals/" + approval.id());
        post.getRequestContext().getHttp().setPath("/approvals/" + approval.id());
        post.setCookies(List.of(cookie));
        String form = "sig=" + sig + "&csrf=" + java.net.URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)
                + "&approver=Ann&decision=reject";
        // API Gateway hands form posts over base64-encoded
        post.setBody(Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8)));
        post.setIsBase64Encoded(true);
        post.setHeaders(Map.of("content-type", "application/x-www-form-urlencoded", "origin", "https://gitops.example.com",
                "content-length", Integer.toString(form.length()), "accept", "text/html", "host", "gitops.example.com"));
        APIGatewayV2HTTPResponse decided = httpApi.handleRequest(post, new TestLambdaContext());
        assertEquals(410, decided.getStatusCode(), "the CSRF cookie arrived: " + decided.getBody());
    }

    private static APIGatewayV2HTTPEvent v2(String delivery, ObjectNode payload, String secret) {
        return ApiGatewayEvents.webhook("push", delivery, payload, secret);
    }

    private static <T> T event(String resource, Class<T> type) {
        return ApiGatewayEvents.event(resource, type);
    }

    /** A test double for the Lambda runtime's context object (the runtime itself cannot run here). */
    static final class TestLambdaContext implements Context {
        public String getAwsRequestId() {
            return "c6af9ac6-7b61-11e6-9a41-93e812345678";
        }

        public String getLogGroupName() {
            return "/aws/lambda/gitops-webhook";
        }

        public String getLogStreamName() {
            return "2026/11/22/[$LATEST]test";
        }

        public String getFunctionName() {
            return "gitops-webhook";
        }

        public String getFunctionVersion() {
            return "$LATEST";
        }

        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:gitops-webhook";
        }

        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
            return null;
        }

        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
            return null;
        }

        public int getRemainingTimeInMillis() {
            return 29_000;
        }

        public int getMemoryLimitInMB() {
            return 1024;
        }

        public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
            return new com.amazonaws.services.lambda.runtime.LambdaLogger() {
                public void log(String message) {
                    System.out.println(message);
                }

                public void log(byte[] message) {
                    System.out.println(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
