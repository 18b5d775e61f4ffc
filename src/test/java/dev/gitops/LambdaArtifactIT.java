package dev.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.aws.Moto;
import dev.gitops.changes.GitFixture;
import dev.gitops.engine.EngineHarness;
import dev.gitops.webhook.Payloads;
import dev.gitops.webhook.Signatures;
import dev.gitops.webhook.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda artifact as {@code mvn package} leaves it ({@code target/gitops-controller-lambda.zip}, what the SAM
 * template deploys): what it holds, and the functions run from it as Lambda runs them ({@link LambdaRuntime}: the
 * runtime interface client in a JVM of its own, a {@link LambdaRuntimeApiDouble} handing it recorded API Gateway
 * events). The webhook function reaches DynamoDB Local and the embedded engine's endpoint, run by this JVM, through
 * the settings an operator would use ({@code GITOPS_AWS_ENDPOINTS_*}, credentials in {@code AWS_*}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaArtifactIT {
    static final Path ARTIFACT = Path.of("target/gitops-controller-lambda.zip");
    static final long MAX_BYTES = 30_000_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SECRET = "artifact test webhook secret";

    /** What runs only on one machine, by where it would sit in the artifact, and what it is. */
    private static final Map<String, String> LOCAL_ONLY = Map.ofEntries(
            Map.entry("dev/gitops/local/", "local mode"), Map.entry("dev/gitops/engine/", "the embedded engine"),
            Map.entry("dev/gitops/runner/", "the local runner"),
            Map.entry("com/amazonaws/services/dynamodbv2/", "DynamoDB Local / the AWS SDK v1"),
            Map.entry("com/amazonaws/auth/", "the AWS SDK v1"), Map.entry("com/amazonaws/http/", "the AWS SDK v1"),
            Map.entry("com/almworks/sqlite4java/", "sqlite4java"), Map.entry("libsqlite4java", "sqlite4java's native library"),
            Map.entry("org/eclipse/jetty/", "Jetty"), Map.entry("org/antlr/", "antlr"),
            Map.entry("io/micronaut/http/server/netty/", "the Netty server"), Map.entry("io/netty/", "Netty"),
            Map.entry("software/amazon/awssdk/http/apache/", "the SDK's Apache client"),
            Map.entry("software/amazon/awssdk/http/nio/netty/", "the SDK's Netty client"),
            Map.entry("com/jayway/jsonpath/", "the engine's JSONPath"), Map.entry("org/junit/", "JUnit"),
            Map.entry("org/mockito/", "Mockito"), Map.entry("net/bytebuddy/", "Byte Buddy"),
            Map.entry("com/tngtech/archunit/", "ArchUnit"), Map.entry("statemachine/", "local mode's definition"));

    private final LambdaRuntime runtime = LambdaRuntime.create();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private Path task;
    private EngineHarness engine;
    private GitFixture git;
    private String machine;
    private String locks;
    private LambdaRuntimeApiDouble webhookApi;

    @BeforeAll
    void start() throws IOException {
        assertTrue(Files.isRegularFile(ARTIFACT), ARTIFACT + " is built by mvn package");
        task = LambdaRuntime.extract(ARTIFACT);
        // the pipeline's builds are not this test's business: a runner whose builds never end stands in (a test double)
        engine = EngineHarness.manual(new dev.gitops.engine.tasks.CodeBuildTaskHandler(
                request -> new java.util.concurrent.CompletableFuture<>(), java.time.Clock.systemUTC(), "us-east-1", "123456789012"));
        machine = engine.machine("gitops-pipeline", Files.readString(Path.of("statemachine/pipeline.asl.json")));
        git = GitFixture.create(Files.createTempDirectory("artifact-repos"), "acme/infra");
        git.sampleInfrastructure();
        locks = TestDynamoDb.table("artifact-locks", "lockId");
        webhookApi = LambdaRuntimeApiDouble.start();
        function("dev.gitops.LambdaHandler::handleRequest", webhookApi, Map.of());
    }

    @AfterAll
    void stop() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
        webhookApi.close();
        engine.close();
        git.close();
        LambdaRuntime.remove(task);
        runtime.close();
    }

    @Test
    void theArtifactIsSmallAndHoldsOnlyWhatRunsInLambda() throws IOException {
        long size = Files.size(ARTIFACT);
        assertTrue(size <= MAX_BYTES, ARTIFACT + " has " + size + " bytes; at most " + MAX_BYTES);
        List<String> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(ARTIFACT.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                names.add(entry.getName());
                check(entry.getName(), found);
                if (entry.getName().endsWith(".jar")) {
                    try (ZipInputStream jar = new ZipInputStream(zip.getInputStream(entry))) {
                        for (ZipEntry inner = jar.getNextEntry(); inner != null; inner = jar.getNextEntry()) {
                            check(entry.getName() + "!/" + inner.getName(), found);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "local-only code in the Lambda artifact");
        for (String needed : List.of("dev/gitops/LambdaHandler.class", "dev/gitops/FunctionHandler.class",
                "application.yml", "application-lambda.yml", "lib/gitops-controller-libraries.jar")) {
            assertTrue(names.contains(needed), needed + " in " + ARTIFACT);
        }
    }

    /** A path that names local-only code, a bean reference to it, or a library only local mode or tests use. */
    private static void check(String path, List<String> found) {
        String inner = path.contains("!/") ? path.substring(path.indexOf("!/") + 2) : path;
        String reference = inner.startsWith("META-INF/micronaut/") ? inner.substring(inner.lastIndexOf('/') + 1).replace('.', '/') : "";
        String maven = inner.startsWith("META-INF/maven/") ? inner.substring("META-INF/maven/".length()) : "";
        LOCAL_ONLY.forEach((where, what) -> {
            if (inner.startsWith(where) || inner.contains("/" + where) || reference.startsWith(where)) {
                found.add(path + " (" + what + ")");
            }
        });
        for (String artifact : List.of("DynamoDBLocal", "sqlite4java", "jetty", "antlr4", "aws-java-sdk-", "netty",
                "junit", "mockito", "json-path")) {
            if (maven.contains("/" + artifact) && maven.endsWith("pom.properties")) {
                found.add(path + " (library " + artifact + ")");
            }
        }
    }

    @Test
    void aSignedPingIsAnsweredPong() throws Exception {
        JsonNode response = answer(webhookApi, event(Payloads.fixture("ping"), "ping", SECRET));
        assertEquals(200, response.path("statusCode").asInt(), response.toString());
        assertTrue(MAPPER.readTree(response.path("body").asText()).path("pong").asBoolean(), response.toString());
    }

    @Test
    void aForgedSignatureIs401() throws Exception {
        JsonNode response = answer(webhookApi, event(Payloads.fixture("ping"), "ping", "not the secret"));
        assertEquals(401, response.path("statusCode").asInt(), response.toString());
        assertEquals("signature-mismatch", MAPPER.readTree(response.path("body").asText()).path("error").asText());
    }

    @Test
    void aSignedPushStartsItsStackOnTheEngine() throws Exception {
        String before = git.checkout("main", false).head();
        git.write("infra/dns/records.tf", "# " + System.nanoTime() + "\n");
        String after = git.commit("change infra/dns");
        git.pushBranch("main");
        JsonNode response = answer(webhookApi, event(Payloads.push("acme/infra", "refs/heads/main", before, after), "push", SECRET));
        assertEquals(202, response.path("statusCode").asInt(), response.toString());
        JsonNode answer = MAPPER.readTree(response.path("body").asText());
        assertEquals("infra/dns", answer.path("stacks").get(0).path("name").asText(), answer.toString());
        String arn = answer.path("executions").get(0).path("executionArn").asText();
        assertEquals(after, MAPPER.readTree(engine.sfn.describeExecution(b -> b.executionArn(arn)).input()).path("sha").asText());
    }

    @Test
    void thePipelineFunctionTakesALockThroughTheRuntimeInterfaceClient() throws Exception {
        try (LambdaRuntimeApiDouble api = LambdaRuntimeApiDouble.start()) {
            function("dev.gitops.FunctionHandler::handleRequest", api, Map.of("GITOPS_FUNCTION", "gitops-pipeline-function"));
            String acquire = """
                    {"action":"acquire","lockId":"acme/infra/infra/app/tst","execution":"arn:aws:states:us-east-1:123456789012:execution:gitops-pipeline:a",
                     "startedAt":"2026-12-01T10:00:00Z","sha":"%s","branch":"develop","approvalTimeoutSeconds":60}
                    """.formatted("d".repeat(40));
            JsonNode result = answer(api, acquire.getBytes(StandardCharsets.UTF_8));
            assertTrue(result.path("acquired").asBoolean(), result.toString());
            assertEquals("a", TestDynamoDb.client().getItem(b -> b.tableName(locks)
                            .key(Map.of("lockId", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("acme/infra/infra/app/tst"))))
                    .item().get("holder").s().replaceAll(".*:", ""), "the lock is held by execution a, in DynamoDB Local");
        }
    }

    /** SnapStart as the runtime plays it: the priming runs at init, the restore hook after, then the first event. */
    @Test
    void withSnapStartTheFunctionIsPrimedBeforeTheSnapshotAndAnswersAfterTheRestore() throws Exception {
        try (LambdaRuntimeApiDouble api = LambdaRuntimeApiDouble.start()) {
            Path log = function("dev.gitops.LambdaHandler::handleRequest", api, Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"));
            api.restoreRequested().get(120, TimeUnit.SECONDS);
            JsonNode response = answer(api, event(Payloads.fixture("ping"), "ping", SECRET));
            assertEquals(200, response.path("statusCode").asInt(), response.toString());
            String output = Files.readString(log);
            assertTrue(output.contains("SnapStart: primed before the snapshot") && output.contains("ping="), output);
            assertFalse(output.contains("failed, the restored function"), output);
            assertTrue(output.indexOf("SnapStart: restored from a snapshot") > output.indexOf("SnapStart: primed"), output);
        }
    }

    /** Starts a function from the extracted artifact; its output goes to the log returned. */
    private Path function(String handler, LambdaRuntimeApiDouble api, Map<String, String> extra) throws IOException {
        Path log = Files.createTempFile("lambda-function", ".log");
        Map<String, String> settings = new HashMap<>();
        settings.put("AWS_ACCESS_KEY_ID", "test");
        settings.put("AWS_SECRET_ACCESS_KEY", "test");
        settings.put("AWS_REGION", "us-east-1");
        settings.put("GITOPS_LOCAL_ENABLED", "false");
        settings.put("GITOPS_AWS_ENDPOINTS_DYNAMODB", TestDynamoDb.endpoint().toString());
        settings.put("GITOPS_AWS_ENDPOINTS_STEPFUNCTIONS", "http://127.0.0.1:" + engine.server.port());
        // the source archives builds start from: S3 is moto's emulator
        settings.put("GITOPS_AWS_ENDPOINTS_S3", moto().endpoint());
        settings.put("GITOPS_SOURCES_LOCATION", "s3://gitops-plans/sources");
        settings.put("GITOPS_STATE_MACHINE_ARN", machine);
        settings.put("GITOPS_WEBHOOK_SECRET", SECRET);
        settings.put("GITOPS_TABLES_DELIVERIES", TestDynamoDb.table("artifact-deliveries", "delivery"));
        settings.put("GITOPS_TABLES_APPROVALS", TestDynamoDb.table("artifact-approvals", "id"));
        settings.put("GITOPS_TABLES_LOCKS", locks);
        settings.put("GITOPS_GIT_URL_TEMPLATE", git.urlTemplate());
        settings.put("GITOPS_GIT_CACHE_DIR", Files.createTempDirectory("artifact-git").toString());
        settings.put("GITOPS_PUBLIC_URL", "https://gitops.example.com");
        settings.put("GITOPS_APPROVAL_LINK_SECRET", "artifact test link secret");
        settings.putAll(extra);
        processes.add(runtime.start(task, handler, api.address(), settings, log));
        logs.add(log);
        return log;
    }

    private JsonNode answer(LambdaRuntimeApiDouble api, byte[] event) throws Exception {
        LambdaRuntimeApiDouble.Answer answer;
        try {
            answer = api.invoke(event).get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer in 120 s; the functions' output:\n" + output(), e);
        }
        assertFalse(answer.error(), answer.errorType() + " " + answer.text() + "\n" + output());
        assertNotNull(answer.body());
        return MAPPER.readTree(answer.body());
    }

    private String output() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path log : logs) {
            all.append("--- ").append(log).append('\n').append(Files.readString(log));
        }
        return all.toString();
    }

    /** The recorded HTTP API event (payload 2.0) with this body, base64 as API Gateway sends it, signed. */
    private static byte[] event(ObjectNode payload, String type, String secret) throws IOException {
        ObjectNode event;
        try (InputStream in = LambdaArtifactIT.class.getResourceAsStream("/apigateway/http-api-v2-webhook.json")) {
            event = (ObjectNode) MAPPER.readTree(in);
        }
        byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
        event.put("body", Base64.getEncoder().encodeToString(body));
        ObjectNode headers = (ObjectNode) event.get("headers");
        headers.put("x-github-event", type);
        headers.put("x-github-delivery", WebhookClient.newDelivery());
        headers.put("content-length", Integer.toString(body.length));
        headers.put("x-hub-signature-256", Signatures.sign(secret.getBytes(StandardCharsets.UTF_8), body));
        return MAPPER.writeValueAsBytes(event);
    }

    private static Moto moto() throws IOException {
        try {
            return Moto.shared();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
