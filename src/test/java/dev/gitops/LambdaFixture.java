package dev.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.aws.Moto;
import dev.gitops.changes.GitFixture;
import dev.gitops.engine.EngineHarness;
import dev.gitops.engine.tasks.CodeBuildTaskHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The controller's Lambda functions as the SAM template deploys them, for tests: the webhook function
 * ({@link LambdaHandler}) and the others ({@link FunctionHandler}), reaching the embedded engine's real endpoint for
 * Step Functions (its builds never end: a test double, builds are not these tests' business), DynamoDB Local, and
 * moto's S3 for source archives, all through {@code gitops.aws.endpoints.*}; a real repository {@code acme/<name>}
 * with the sample infrastructure.
 */
final class LambdaFixture implements AutoCloseable {
    static final String SECRET = "lambda fixture secret";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final EngineHarness engine;
    final String machine;
    final GitFixture git;
    private final Map<String, String> properties = new HashMap<>();
    private LambdaHandler webhook;

    LambdaFixture(String name) throws IOException, InterruptedException {
        engine = EngineHarness.manual(new CodeBuildTaskHandler(request -> new CompletableFuture<>(), Clock.systemUTC(),
                "us-east-1", "123456789012"));
        machine = engine.machine("gitops-pipeline", Files.readString(Path.of("statemachine/pipeline.asl.json")));
        Path root = Files.createTempDirectory(name + "-repos");
        git = GitFixture.create(root, "acme/" + name);
        git.sampleInfrastructure();
        properties.putAll(Map.of("aws.region", "us-east-1", "aws.accessKeyId", "test", "aws.secretAccessKey", "test",
                "gitops.webhook.secret", SECRET, "gitops.state-machine-arn", machine,
                "gitops.aws.endpoints.stepfunctions", "http://127.0.0.1:" + engine.server.port(),
                "gitops.aws.endpoints.dynamodb", TestDynamoDb.endpoint().toString(),
                "gitops.tables.deliveries", TestDynamoDb.table(name + "-deliveries", "delivery"),
                "gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git",
                "gitops.git.cache-dir", Files.createTempDirectory(name + "-git").toString()));
        properties.putAll(Map.of("gitops.aws.endpoints.s3", Moto.shared().endpoint(),
                "gitops.sources.location", "s3://gitops-plans/sources",
                "gitops.approval.link-secret", name + " test link secret", "gitops.public-url", "https://gitops.example.com"));
    }

    /** Adds settings, then starts the webhook function with them all (as system properties, as the runtime's environment). */
    LambdaHandler start(Map<String, String> more) {
        properties.putAll(more);
        properties.forEach(System::setProperty);
        webhook = new LambdaHandler();
        return webhook;
    }

    /** The function {@code GITOPS_FUNCTION} names, invoked with {@code event} as Lambda would. */
    JsonNode invoke(String function, String event) throws IOException {
        System.setProperty("gitops.function", function);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FunctionHandler().handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return MAPPER.readTree(out.toByteArray());
    }

    /** The executions started for commit {@code sha}, by name. */
    List<String> executions(String sha) {
        return engine.sfn.listExecutions(b -> b.stateMachineArn(machine)).executions().stream()
                .map(e -> e.name()).filter(name -> name.contains("-" + sha.substring(0, 7) + "-")).sorted().toList();
    }

    @Override
    public void close() {
        if (webhook != null) {
            webhook.getApplicationContext().close();
        }
        FunctionHandler.close();
        properties.keySet().forEach(System::clearProperty);
        System.clearProperty("gitops.function");
        engine.close();
        git.close();
    }
}
