package dev.gitops.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.Await;
import dev.gitops.TestPorts;
import dev.gitops.approval.StandIn;
import dev.gitops.aws.Tables;
import dev.gitops.changes.GitFixture;
import dev.gitops.lock.Lock;
import dev.gitops.lock.LockStore;
import dev.gitops.runner.TerraformDouble;
import dev.gitops.webhook.Payloads;
import dev.gitops.webhook.WebhookClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drift detection end to end in local mode, with the real Terraform CLI where one is installed (a local backend and a
 * built-in {@code terraform_data} resource need no download) and the Terraform double elsewhere: a stack is deployed,
 * its state changed out of band, and the drift state machine (statemachine/drift.asl.json, a Map over the deployed
 * stacks on the embedded engine) finds it drifted with the changed address and tells Slack (a stand-in) once; restored,
 * it is back in sync and Slack hears that once; a stack whose lock a deployment holds is skipped, saying so. The
 * deployments table is never written by a check.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriftTest implements TestPropertyProvider {
    private static final String SECRET = "drift test secret";
    private static final String ADMIN = "drift admin token";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path root = Await.tempDir("drift-repos");
    private final Path data = Await.tempDir("drift-data");
    private final Path states = Await.sharedDir("drift-states");
    private final Optional<Path> terraform = realTerraform();
    private final Path bin = TerraformDouble.install(Await.tempDir("drift-bin"));
    private final StandIn slack = standIn();

    @Inject
    EmbeddedServer server;
    @Inject
    SfnClient sfn;
    @Inject
    DynamoDbClient dynamoDb;
    @Inject
    Tables tables;
    @Inject
    LockStore locks;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("gitops.local.data-dir", data.toString());
        p.put("gitops.local.engine-port", Integer.toString(TestPorts.free()));
        p.put("gitops.webhook.secret", SECRET);
        p.put("gitops.admin-token", ADMIN);
        p.put("gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git");
        if (terraform.isPresent()) {
            p.put("gitops.runner.terraform-binary", terraform.get().toString());
            p.put("gitops.runner.path", "/usr/bin:/bin");
        } else {
            p.put("gitops.runner.path", TerraformDouble.path(bin));
        }
        p.put("gitops.environments.drifty.order", "4");
        p.put("gitops.environments.drifty.branches", "drifty");
        p.put("gitops.environments.drifty.approval", "auto");
        p.put("gitops.drift.schedule", "off");
        p.put("gitops.slack.webhook-url", slack.url("/slack"));
        return p;
    }

    @AfterAll
    void stop() {
        slack.close();
    }

    @Test
    void aDeployedStackChangedOutOfBandIsFoundDriftedOnceThenBackInSyncAndSkippedWhileADeploymentHoldsItsLock() throws Exception {
        GitFixture git = GitFixture.create(root, "acme/drift");
        Path state = states.resolve("acme-drift-app.tfstate");
        git.write("infra/app/main.tf", stack("v1")).write("infra/app/backend_configs/drifty.config", "path = \"" + state + "\"\n");
        git.commit("base");
        git.pushBranch("drifty");
        String before = git.head();
        git.write("infra/app/main.tf", stack("v1") + "# deployed\n");
        String sha = git.commit("deploy app");
        git.pushBranch("drifty");
        WebhookClient.Reply reply = new WebhookClient(URI.create("http://127.0.0.1:" + server.getPort()), SECRET)
                .json("push", WebhookClient.newDelivery(), Payloads.push("acme/drift", "refs/heads/drifty", before, sha));
        String deployment = reply.body().path("executions").path(0).path("executionArn").asText();
        assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(deployment), reply.body().toString());
        int deployments = deploymentRecords();

        assertEquals("in-sync", check().path("status").asText(), "just deployed");
        assertEquals(0, slack.slack().size(), "in sync from the start: nothing to say");

        String deployed = Files.readString(state);
        Files.writeString(state, outOfBand(deployed));
        JsonNode drifted = check();
        assertEquals("drifted", drifted.path("status").asText(), drifted.toString());
        assertTrue(drifted.path("summary").asText().contains(address()), drifted.toString());
        assertEquals(sha, drifted.path("sha").asText());
        assertEquals(1, slack.slack().size(), "one message when it drifts");
        String message = slack.slack().get(0).body().toString();
        assertTrue(message.contains("drift") && message.contains("infra/app") && message.contains(address()), message);
        assertEquals("drifted", check().path("status").asText());
        assertEquals(1, slack.slack().size(), "still drifted: nothing new to say");

        Files.writeString(state, deployed);
        assertEquals("in-sync", check().path("status").asText());
        assertEquals(2, slack.slack().size());
        assertTrue(slack.slack().get(1).body().toString().contains("back in sync"), slack.slack().get(1).body().toString());

        String lockId = "acme/drift/infra/app/drifty";
        assertTrue(locks.acquire(new LockStore.Claim(lockId, "arn:aws:states:us-east-1:123456789012:execution:gitops-pipeline:held-by-a-deployment",
                sha, "drifty", Lock.Phase.APPLY, Duration.ofMinutes(10))).acquired());
        try {
            JsonNode skipped = check();
            assertEquals("skipped", skipped.path("status").asText(), skipped.toString());
            assertTrue(skipped.path("summary").asText().contains("held-by-a-deployment"), skipped.toString());
        } finally {
            locks.forceRelease(lockId);
        }
        assertEquals(deployments, deploymentRecords(), "drift checks never write the deployments table");
    }

    @Test
    void startingACheckNeedsTheAdminTokenAndAKnownEnvironmentAndTheListSaysWhichFilterIsWrong() throws Exception {
        assertEquals(401, post("{}", "wrong").statusCode());
        HttpResponse<String> unknown = post("{\"environment\":\"nowhere\"}", ADMIN);
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("unknown-environment"), unknown.body());
        assertEquals(400, post("{\"environment\":", ADMIN).statusCode());
        HttpResponse<String> list = get("/api/drift?environment=nowhere");
        assertEquals(400, list.statusCode());
    }

    /** Starts a check of environment drifty through the API, waits for it, and answers the stack's row. */
    private JsonNode check() throws Exception {
        HttpResponse<String> started = post("{\"environment\":\"drifty\"}", ADMIN);
        assertEquals(202, started.statusCode(), started.body());
        String execution = MAPPER.readTree(started.body()).path("executionArn").asText();
        assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(execution), () -> sfn.describeExecution(b -> b.executionArn(execution)).toString());
        JsonNode items = MAPPER.readTree(get("/api/drift?environment=drifty").body()).path("items");
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }

    private ExecutionStatus awaitEnd(String execution) {
        Await.until(() -> sfn.describeExecution(b -> b.executionArn(execution)).status() != ExecutionStatus.RUNNING,
                execution + " ends");
        return sfn.describeExecution(b -> b.executionArn(execution)).status();
    }

    private int deploymentRecords() {
        return dynamoDb.scan(b -> b.tableName(tables.getDeployments())).count();
    }

    private HttpResponse<String> post(String body, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/api/drift"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String stack(String input) {
        return terraform.isPresent()
                ? "terraform {\n  backend \"local\" {}\n}\nresource \"terraform_data\" \"web\" {\n  input = \"" + input + "\"\n}\n"
                : "terraform {\n  backend \"s3\" {}\n}\nresource \"null_resource\" \"web\" {\n  triggers = {}\n}\n";
    }

    private String address() {
        return terraform.isPresent() ? "terraform_data.web" : "null_resource.web";
    }

    /** The state as if someone changed the resource by hand: its recorded input (or the double's text) differs. */
    private String outOfBand(String state) throws IOException {
        ObjectNode json = (ObjectNode) MAPPER.readTree(state);
        if (terraform.isPresent()) {
            ObjectNode attributes = (ObjectNode) json.path("resources").path(0).path("instances").path(0).path("attributes");
            attributes.set("input", MAPPER.createObjectNode().put("value", "changed by hand").put("type", "string"));
            attributes.set("output", MAPPER.createObjectNode().put("value", "changed by hand").put("type", "string"));
        } else {
            ((ObjectNode) json.path("resources")).put(address(), "changed by hand");
        }
        return MAPPER.writeValueAsString(json);
    }

    private static Optional<Path> realTerraform() {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")), Stream.of("/usr/local/bin"))
                .filter(d -> !d.isBlank()).map(d -> Path.of(d, "terraform")).filter(Files::isExecutable).findFirst();
    }

    private static StandIn standIn() {
        try {
            return new StandIn();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
