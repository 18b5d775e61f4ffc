package dev.gitops.pipeline;

import dev.gitops.Await;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.TestPorts;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline end to end in local mode: a signed webhook on a real git repository starts the execution; the embedded
 * engine runs statemachine/pipeline.asl.json; the local runner runs infra-templates/buildspec.yml with the Terraform
 * test double on PATH; locks, approvals and deployment records live in DynamoDB Local; decisions arrive through
 * SfnClient's SendTaskSuccess / SendTaskFailure, as the approval page will send them.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineTest implements TestPropertyProvider {
    static final String SECRET = "pipeline test secret";
    static final String ADMIN = "admin token for tests";
    private static final AtomicInteger REPOS = new AtomicInteger();

    private final Path root = Await.tempDir("pipeline-repos");
    private final Path data = Await.tempDir("pipeline-data");
    private final Path states = Await.sharedDir("pipeline-states");
    private final Path bin = TerraformDouble.install(Await.tempDir("pipeline-bin"));

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
        p.put("gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git");
        p.put("gitops.runner.path", TerraformDouble.path(bin));
        p.put("gitops.lock.poll-interval", "1s");
        p.put("gitops.admin-token", ADMIN);
        p.put("gitops.environments.qa.order", "4");
        p.put("gitops.environments.qa.branches", "qa");
        p.put("gitops.environments.qa.approval", "auto");
        p.put("gitops.environments.brief.order", "5");
        p.put("gitops.environments.brief.branches", "brief");
        p.put("gitops.environments.brief.approval-timeout", "2s");
        return p;
    }

    // ------------------------------------------------------------------------------------------------ the paths

    @Test
    void aChangeIsPlannedApprovedAppliedAndRecordedAndTheLockIsFree() {
        Repo repo = repo();
        Push push = repo.change("develop", "infra/app/main.tf", app("web"));
        String execution = push.onlyExecution();
        String token = awaitApproval(execution);
        JsonNode approval = pendingApproval(execution);
        assertEquals("1", approval.path("planAdd").asText(), approval.toString());
        Path plan = data.resolve("plans/tst").resolve(execution.substring(execution.lastIndexOf(':') + 1) + ".tfplan");
        assertTrue(Files.exists(plan) && Files.exists(Path.of(plan + ".txt")), "the saved plan waits with its approval");
        sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\":true,\"approver\":\"alice\",\"at\":\"2026-12-01T10:00:00Z\"}"));
        DescribeExecutionResponse done = awaitEnd(execution);
        assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.toString());
        assertEquals("Deployed", lastState(execution));
        assertTrue(state(repo, "tst").contains("null_resource.web"), "the double's state holds the applied resource");
        JsonNode record = deployment(execution);
        assertEquals(push.sha, record.path("sha").asText());
        assertEquals("alice", Payloads.parse(record.path("approval").asText()).path("approver").asText());
        assertEquals("applied", record.path("outcome").asText());
        assertLockFree(repo, "infra/app", "tst");
        Await.until(() -> !Files.exists(plan) && !Files.exists(Path.of(plan + ".txt")), "the saved plan is purged: " + plan);
    }

    @Test
    void aStackWithoutChangesEndsNoChangesWithoutAskingAnyone() {
        Repo repo = repo();
        Push push = repo.change("develop", "infra/empty/main.tf", "terraform {\n  backend \"s3\" {}\n}\n# touched\n");
        String execution = push.onlyExecution();
        assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(execution).status());
        assertEquals("NoChanges", lastState(execution));
        assertTrue(pendingApprovals(execution).isEmpty());
        assertLockFree(repo, "infra/empty", "tst");
    }

    @Test
    void aFailedPlanFailsWithTheLogTailInTheCauseAndFreesTheLock() {
        Repo repo = repo();
        Push push = repo.change("develop", "infra/app/main.tf", app("web") + "# FAIL_PLAN: Reference to undeclared input variable \"cidr\"\n");
        String execution = push.onlyExecution();
        DescribeExecutionResponse done = awaitEnd(execution);
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("PlanFailed", done.error());
        assertTrue(done.cause().startsWith("plan failed in infra/app for tst:"), done.cause());
        assertTrue(done.cause().contains("Reference to undeclared input variable"), done.cause());
        assertLockFree(repo, "infra/app", "tst");
    }

    @Test
    void aRejectedPlanEndsRejectedAndIsNotApplied() {
        Repo repo = repo();
        Push push = repo.change("develop", "infra/app/main.tf", app("web"));
        String execution = push.onlyExecution();
        String token = awaitApproval(execution);
        sfn.sendTaskFailure(b -> b.taskToken(token).error("Rejected").cause("rejected by bob"));
        DescribeExecutionResponse done = awaitEnd(execution);
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("Rejected", done.error());
        assertFalse(state(repo, "tst").contains("null_resource.web"), "nothing was applied");
        assertLockFree(repo, "infra/app", "tst");
    }

    @Test
    void nobodyDecidingWithinTheApprovalTimeoutEndsExpired() {
        Repo repo = repo();
        Push push = repo.change("brief", "infra/app/main.tf", app("web"));
        String execution = push.onlyExecution();
        DescribeExecutionResponse done = awaitEnd(execution);
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("Expired", done.error());
        assertLockFree(repo, "infra/app", "brief");
    }

    @Test
    void anAutoEnvironmentAppliesWithoutWaiting() {
        Repo repo = repo();
        Push push = repo.change("qa", "infra/app/main.tf", app("web"));
        String execution = push.onlyExecution();
        assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(execution).status());
        assertEquals("Deployed", lastState(execution));
        assertFalse(states(execution).contains("WaitForApproval"));
        assertTrue(state(repo, "qa").contains("null_resource.web"));
        assertEquals("auto", Payloads.parse(deployment(execution).path("approval").asText()).path("approver").asText(),
                "the record says the environment's policy approved");
    }

    @Test
    void aPullRequestPlansOnlyAndEndsPlanned() {
        Repo repo = repo();
        repo.git.checkout("feature/pr", true);
        repo.git.write("infra/app/main.tf", app("web"));
        String head = repo.git.commit("add web");
        repo.git.pushBranch("feature/pr").push("refs/pull/7/head");
        WebhookClient.Reply reply = client().json("pull_request", WebhookClient.newDelivery(),
                Payloads.pullRequest(repo.name, "opened", 7, repo.name, "feature/pr", head, "develop", repo.base));
        assertEquals(202, reply.status(), reply.body().toString());
        String execution = reply.body().path("executions").get(0).path("executionArn").asText();
        assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(execution).status());
        assertEquals("Planned", lastState(execution));
        assertFalse(states(execution).contains("Apply"));
        assertFalse(state(repo, "tst").contains("null_resource.web"));
    }

    @Test
    void aPullRequestPlansWhileADeploymentOfTheStackWaitsForApprovalAndTakesNoLock() throws IOException {
        Repo repo = repo();
        String deployment = repo.change("develop", "infra/app/main.tf", app("web")).onlyExecution();
        awaitApproval(deployment);
        repo.git.checkout("feature/pr2", true);
        repo.git.write("infra/app/main.tf", app("api"));
        String head = repo.git.commit("add api");
        repo.git.pushBranch("feature/pr2").push("refs/pull/8/head");
        WebhookClient.Reply reply = client().json("pull_request", WebhookClient.newDelivery(),
                Payloads.pullRequest(repo.name, "opened", 8, repo.name, "feature/pr2", head, "develop", repo.base));
        String plan = reply.body().path("executions").get(0).path("executionArn").asText();
        DescribeExecutionResponse done = awaitEnd(plan);
        assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.toString());
        assertEquals("Planned", lastState(plan));
        assertFalse(states(plan).contains("AcquireLock"), "a plan-only run takes no lock: " + states(plan));
        String buildId = Payloads.parse(done.output()).path("plan").path("buildId").asText();
        String log = Files.readString(data.resolve("builds").resolve(buildId.substring(buildId.indexOf(':') + 1)).resolve("build.log"));
        assertFalse(log.contains("Acquiring state lock"), "terraform plan -lock=false: " + log);
        Lock held = locks.get(lockId(repo, "infra/app", "tst"));
        assertEquals(deployment, held.holder(), "the deployment still holds its lock");
        sfn.stopExecution(b -> b.executionArn(deployment));
    }

    @Test
    void aDecisionWithoutApprovedTrueIsNotAppliedWhateverCompletedTheTask() {
        Repo repo = repo();
        for (String decision : List.of("{\"approved\":false,\"approver\":\"mallory\"}", "{\"approver\":\"mallory\"}",
                "{\"approved\":\"yes\"}")) {
            Push push = repo.change("develop", "infra/app/main.tf", app("web" + decision.length()));
            String execution = push.onlyExecution();
            String token = awaitApproval(execution);
            sfn.sendTaskSuccess(b -> b.taskToken(token).output(decision));
            DescribeExecutionResponse done = awaitEnd(execution);
            assertEquals("Rejected", done.error(), decision + ": " + done);
            assertFalse(states(execution).contains("Apply"), decision);
            assertFalse(state(repo, "tst").contains("null_resource.web"), "nothing was applied");
            assertLockFree(repo, "infra/app", "tst");
        }
    }

    // ------------------------------------------------------------------------------------------------ locks

    @Test
    void twoPushesToOneStackNeverHoldTheLockTogetherAndTheSecondRunsAfterTheFirst() {
        Repo repo = repo();
        // two feature branches (both dev), neither commit an ancestor of the other: nothing supersedes, they queue
        Push first = repo.change("feature/a", "infra/app/main.tf", app("web"));
        String a = first.onlyExecution();
        String tokenA = awaitApproval(a);
        repo.git.resetHard(repo.base);
        Push second = repo.change("feature/b", "infra/app/main.tf", app("web") + app("db"));
        String b = second.onlyExecution();
        Await.until(() -> states(b).contains("WaitForLock"), "the second execution waits for the lock");
        assertEquals(a, locks.get(lockId(repo, "infra/app", "dev")).holder());
        sfn.sendTaskSuccess(x -> x.taskToken(tokenA).output("{\"approved\":true,\"approver\":\"alice\",\"at\":\"t\"}"));
        assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(a).status());
        String tokenB = awaitApproval(b);
        assertEquals(b, locks.get(lockId(repo, "infra/app", "dev")).holder());
        sfn.sendTaskSuccess(x -> x.taskToken(tokenB).output("{\"approved\":true,\"approver\":\"alice\",\"at\":\"t\"}"));
        assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(b).status());
        Instant aReleased = entered(a, "ReleaseLock");
        Instant bPlanned = entered(b, "Plan");
        assertFalse(bPlanned.isBefore(aReleased), "the second plans only after the first released the lock");
        assertTrue(state(repo, "dev").contains("null_resource.db"));
        assertLockFree(repo, "infra/app", "dev");
    }

    @Test
    void stoppingAnExecutionThatWaitsForApprovalFreesItsLockWithinFiveSeconds() {
        Repo repo = repo();
        Push push = repo.change("develop", "infra/app/main.tf", app("web"));
        String execution = push.onlyExecution();
        awaitApproval(execution);
        assertTrue(locks.get(lockId(repo, "infra/app", "tst")).heldAt(Instant.now()));
        long stopped = System.nanoTime();
        sfn.stopExecution(b -> b.executionArn(execution).error("Stopped").cause("test"));
        Await.until(() -> !Optional.ofNullable(locks.get(lockId(repo, "infra/app", "tst"))).map(l -> l.heldAt(Instant.now())).orElse(false),
                "the janitor frees the lock");
        assertTrue(System.nanoTime() - stopped < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void theApiListsLocksExecutionsAndDeploymentsAndReleasesALockOnlyForTheAdmin() throws Exception {
        Repo repo = repo();
        Push push = repo.change("develop", "infra/app/main.tf", app("web"));
        String execution = push.onlyExecution();
        awaitApproval(execution);
        String id = lockId(repo, "infra/app", "tst");

        JsonNode held = get("/api/locks").body();
        assertTrue(stream(held.path("items")).anyMatch(l -> l.path("id").asText().equals(id)
                && l.path("holder").asText().equals(execution) && l.path("phase").asText().equals("approval")), held.toString());
        JsonNode running = get("/api/executions?environment=tst&status=RUNNING").body();
        assertTrue(stream(running.path("items")).anyMatch(e -> e.path("executionArn").asText().equals(execution)
                && e.path("dir").asText().equals("infra/app")), running.toString());
        assertEquals(400, get("/api/executions?status=SLEEPING").status());

        String path = "/api/locks/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(401, delete(path, null).status());
        assertEquals(401, delete(path, "Bearer wrong").status());
        Reply released = delete(path, "Bearer " + ADMIN);
        assertEquals(200, released.status(), released.body().toString());
        assertEquals(execution, released.body().path("released").path("holder").asText());
        assertEquals(404, delete(path, "Bearer " + ADMIN).status());

        // the execution still waits; approving it now must not apply: CheckLock finds the lock gone
        sfn.sendTaskSuccess(b -> b.taskToken(pendingApprovals(execution).get(0).get("taskToken").s())
                .output("{\"approved\":true,\"approver\":\"alice\",\"at\":\"t\"}"));
        DescribeExecutionResponse done = awaitEnd(execution);
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertTrue(done.cause().contains("no longer held"), done.cause());
        assertFalse(state(repo, "tst").contains("null_resource.web"));

        Repo other = repo();
        String auto = other.change("qa", "infra/app/main.tf", app("web")).onlyExecution();
        awaitEnd(auto);
        JsonNode deployed = get("/api/deployments?environment=qa").body();
        assertTrue(stream(deployed.path("items")).anyMatch(d -> d.path("execution").asText().equals(auto)
                && d.path("outcome").asText().equals("applied") && d.path("plan").path("add").asInt() == 1), deployed.toString());
        assertTrue(stream(get("/api/deployments?environment=prd").body().path("items")).noneMatch(d -> d.path("execution").asText().equals(auto)));
    }

    record Reply(int status, JsonNode body) {
    }

    Reply get(String path) throws Exception {
        return send(java.net.http.HttpRequest.newBuilder(server.getURI().resolve(path)).GET().build());
    }

    Reply delete(String path, String authorization) throws Exception {
        var builder = java.net.http.HttpRequest.newBuilder(server.getURI().resolve(path)).DELETE();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return send(builder.build());
    }

    private static Reply send(java.net.http.HttpRequest request) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), Payloads.parse(response.body()));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }

    // ------------------------------------------------------------------------------------------------ injection

    @Test
    void aBranchNamedLikeACommandPlansAndRunsNothingElse() throws IOException {
        Repo repo = repo();
        String branch = "feature/$(touch${IFS}pwned)";
        Push push = repo.change(branch, "infra/app/main.tf", app("web"));
        String execution = push.onlyExecution();
        awaitApproval(execution);
        sfn.stopExecution(b -> b.executionArn(execution));
        try (Stream<Path> files = Stream.of(data, root, Path.of("").toAbsolutePath(), bin)
                .flatMap(PipelineTest::walk)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().equals("pwned")), "no file 'pwned' was created");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    record Push(String sha, WebhookClient.Reply reply) {
        String onlyExecution() {
            assertEquals(202, reply.status(), reply.body().toString());
            assertEquals(1, reply.body().path("executions").size(), reply.body().toString());
            return reply.body().path("executions").get(0).path("executionArn").asText();
        }
    }

    final class Repo {
        final String name;
        final GitFixture git;
        final String base;

        Repo(String name) {
            this.name = name;
            this.git = GitFixture.create(root, name);
            for (String env : List.of("tst", "qa", "brief", "dev")) {
                git.write("infra/app/backend_configs/" + env + ".config",
                        "path = \"" + states.resolve(name.replace('/', '-') + "-app-" + env + ".json") + "\"\n");
            }
            git.write("infra/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\n")
                    .write("infra/empty/main.tf", "terraform {\n  backend \"s3\" {}\n}\n")
                    .write("README.md", "# infra\n");
            this.base = git.commit("base");
            git.pushBranch("main").pushBranch("develop");
        }

        /**
         * Commits {@code content} to {@code path} on top of everything pushed so far and pushes it to {@code branch}.
         * A branch that does not exist yet is first created at the current commit (no webhook), so the push is an
         * ordinary one.
         */
        Push change(String branch, String path, String content) {
            String before = java.util.Objects.requireNonNullElse(git.remoteHead(branch), Payloads.ZEROS);
            if (before.equals(Payloads.ZEROS)) {
                git.pushBranch(branch);
                before = git.head();
            }
            git.write(path, content);
            String sha = git.commit("change " + path);
            git.pushBranch(branch);
            WebhookClient.Reply reply = client().json("push", WebhookClient.newDelivery(),
                    Payloads.push(name, "refs/heads/" + branch, before, sha));
            return new Push(sha, reply);
        }

    }

    Repo repo() {
        return new Repo("acme/pipeline-" + REPOS.incrementAndGet());
    }

    WebhookClient client() {
        return new WebhookClient(server.getURI(), SECRET);
    }

    static String app(String resource) {
        return "terraform {\n  backend \"s3\" {}\n}\nresource \"null_resource\" \"" + resource + "\" {\n  triggers = {}\n}\n";
    }

    String state(Repo repo, String env) {
        Path file = states.resolve(repo.name.replace('/', '-') + "-app-" + env + ".json");
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String lockId(Repo repo, String dir, String env) {
        return repo.name + "/" + dir + "/" + env;
    }

    void assertLockFree(Repo repo, String dir, String env) {
        Lock lock = locks.get(lockId(repo, dir, env));
        assertTrue(lock == null || !lock.heldAt(Instant.now()), "lock " + lockId(repo, dir, env) + " is free: " + lock);
    }

    List<Map<String, AttributeValue>> pendingApprovals(String execution) {
        return dynamoDb.scan(b -> b.tableName(tables.getApprovals()).consistentRead(true)
                .filterExpression("execution = :e").expressionAttributeValues(Map.of(":e", AttributeValue.fromS(execution))))
                .items();
    }

    JsonNode pendingApproval(String execution) {
        Map<String, AttributeValue> item = pendingApprovals(execution).get(0);
        JsonNode summary = Payloads.parse(item.get("planSummary").s());
        com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) Payloads.parse("{}");
        node.put("planAdd", summary.path("add").asText());
        node.put("taskToken", item.get("taskToken").s());
        node.put("planSha256", item.get("planSha256").s());
        return node;
    }

    String awaitApproval(String execution) {
        Await.until(() -> !pendingApprovals(execution).isEmpty() || !isRunning(execution), "an approval is pending for " + execution);
        assertTrue(isRunning(execution), () -> "the execution still runs: " + sfn.describeExecution(b -> b.executionArn(execution)));
        return pendingApprovals(execution).get(0).get("taskToken").s();
    }

    boolean isRunning(String execution) {
        return sfn.describeExecution(b -> b.executionArn(execution)).status() == ExecutionStatus.RUNNING;
    }

    DescribeExecutionResponse awaitEnd(String execution) {
        Await.until(() -> !isRunning(execution), execution + " ends");
        return sfn.describeExecution(b -> b.executionArn(execution));
    }

    JsonNode deployment(String execution) {
        List<Map<String, AttributeValue>> items = dynamoDb.scan(b -> b.tableName(tables.getDeployments())
                .filterExpression("execution = :e").expressionAttributeValues(Map.of(":e", AttributeValue.fromS(execution)))).items();
        assertEquals(1, items.size());
        com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) Payloads.parse("{}");
        items.get(0).forEach((k, v) -> node.put(k, v.s()));
        return node;
    }

    List<HistoryEvent> history(String execution) {
        List<HistoryEvent> events = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(execution)).events().forEach(events::add);
        return events;
    }

    List<String> states(String execution) {
        return history(execution).stream().filter(e -> e.stateEnteredEventDetails() != null)
                .map(e -> e.stateEnteredEventDetails().name()).toList();
    }

    String lastState(String execution) {
        List<String> entered = states(execution);
        return entered.get(entered.size() - 1);
    }

    Instant entered(String execution, String state) {
        return history(execution).stream().filter(e -> e.stateEnteredEventDetails() != null
                && state.equals(e.stateEnteredEventDetails().name())).map(HistoryEvent::timestamp).findFirst().orElseThrow();
    }


    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

}
