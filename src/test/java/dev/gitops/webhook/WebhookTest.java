package dev.gitops.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.TestPorts;
import dev.gitops.changes.GitFixture;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front door end to end: signed deliveries over HTTP to the Netty server, change detection on real throwaway
 * repositories (reached through gitops.git.url-template), executions started on the embedded engine.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookTest implements TestPropertyProvider {
    static final String SECRET = "It's a test secret";
    private static final AtomicInteger REPOS = new AtomicInteger();

    private final Path root = tempDir("webhook-repos");
    private final Path data = tempDir("webhook-data");

    @Inject
    EmbeddedServer server;

    @Inject
    SfnClient sfn;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("gitops.local.data-dir", data.toString(),
                "gitops.local.engine-port", Integer.toString(TestPorts.free()),
                "gitops.webhook.secret", SECRET,
                "gitops.webhook.max-body", "256KB",
                "gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git",
                "gitops.repositories", "acme/*");
    }

    WebhookClient client() {
        return new WebhookClient(server.getURI(), SECRET);
    }

    /** A fresh repository acme/<unique> with the sample infrastructure on main and develop. */
    Repo repo() {
        String name = "acme/infra-" + REPOS.incrementAndGet();
        GitFixture git = GitFixture.create(root, name);
        return new Repo(name, git, git.sampleInfrastructure());
    }

    record Repo(String name, GitFixture git, String base) {
        /** Commits a change to one file on {@code branch} (created from main when new) and pushes it. */
        String change(String branch, String path) {
            git.write(path, "# changed " + System.nanoTime() + "\n");
            String sha = git.commit("change " + path);
            git.pushBranch(branch);
            return sha;
        }
    }

    // ------------------------------------------------------------------------------------------------ the table

    record Case(String sentence, Function<WebhookTest, WebhookClient.Reply> send, Consumer<WebhookClient.Reply> expect) {
        @Override
        public String toString() {
            return sentence;
        }
    }

    static Consumer<WebhookClient.Reply> ignored(String code) {
        return reply -> {
            assertEquals(202, reply.status(), reply.body().toString());
            assertEquals(code, reply.body().path("ignored").asText(), reply.body().toString());
            assertFalse(reply.body().path("detail").asText().isBlank());
        };
    }

    static Consumer<WebhookClient.Reply> started(String environment, String mode, String... stacks) {
        return reply -> {
            assertEquals(202, reply.status(), reply.body().toString());
            assertEquals(environment, reply.body().path("environment").asText(), reply.body().toString());
            assertEquals(mode, reply.body().path("mode").asText());
            List<String> names = new ArrayList<>();
            reply.body().path("stacks").forEach(s -> names.add(s.path("name").asText()));
            assertEquals(List.of(stacks), names, reply.body().toString());
            assertEquals(stacks.length, reply.body().path("executions").size());
        };
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a push to main starts the changed stack in prd", t -> {
                    Repo r = t.repo();
                    String sha = r.change("main", "infra/dns/records.tf");
                    return t.client().json("push", WebhookClient.newDelivery(), Payloads.push(r.name(), "refs/heads/main", r.base(), sha));
                }, started("prd", "apply", "infra/dns")),
                new Case("a push to a feature branch deploys to dev", t -> {
                    Repo r = t.repo();
                    r.git().checkout("feature/dns", true);
                    String sha = r.change("feature/dns", "infra/dns/records.tf");
                    return t.client().json("push", WebhookClient.newDelivery(),
                            Payloads.push(r.name(), "refs/heads/feature/dns", Payloads.ZEROS, sha));
                }, started("dev", "apply", "infra/dns")),
                new Case("a change outside every stack is ignored as no-stack-changed", t -> {
                    Repo r = t.repo();
                    String sha = r.change("main", "README.md");
                    return t.client().json("push", WebhookClient.newDelivery(), Payloads.push(r.name(), "refs/heads/main", r.base(), sha));
                }, ignored("no-stack-changed")),
                new Case("a tag push is ignored", t -> {
                    Repo r = t.repo();
                    return t.client().json("push", WebhookClient.newDelivery(), Payloads.push(r.name(), "refs/tags/v1.0.0", Payloads.ZEROS, r.base()));
                }, ignored("tag")),
                new Case("a deleted branch is ignored", t -> {
                    Repo r = t.repo();
                    return t.client().json("push", WebhookClient.newDelivery(), Payloads.deletion(r.name(), "feature/old", r.base()));
                }, ignored("branch-deleted")),
                new Case("a branch no rule maps is ignored", t -> {
                    Repo r = t.repo();
                    return t.client().json("push", WebhookClient.newDelivery(), Payloads.push(r.name(), "refs/heads/hotfix/x", r.base(), r.base()));
                }, ignored("unmapped-branch")),
                new Case("a repository outside gitops.repositories is ignored", t -> t.client().json("push",
                        WebhookClient.newDelivery(), Payloads.push("other/infra", "refs/heads/main", Payloads.ZEROS, "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c")),
                        ignored("repository-not-allowed")),
                new Case("a pull request plans in the environment of its base branch", t -> {
                    Repo r = t.repo();
                    r.git().checkout("feature/status-page", true);
                    String head = r.change("feature/status-page", "infra/dns/status.tf");
                    r.git().push("refs/pull/42/head");
                    return t.client().json("pull_request", WebhookClient.newDelivery(), Payloads.pullRequest(r.name(), "opened", 42,
                            r.name(), "feature/status-page", head, "develop", r.base()));
                }, started("tst", "plan", "infra/dns")),
                new Case("a pull request from a fork is ignored", t -> {
                    Repo r = t.repo();
                    return t.client().json("pull_request", WebhookClient.newDelivery(), Payloads.pullRequest(r.name(), "opened", 7,
                            "mallory/infra", "evil", r.base(), "main", r.base()));
                }, ignored("fork-pull-request")),
                new Case("a closed pull request is not handled", t -> {
                    Repo r = t.repo();
                    return t.client().json("pull_request", WebhookClient.newDelivery(), Payloads.pullRequest(r.name(), "closed", 8,
                            r.name(), "feature/x", r.base(), "main", r.base()));
                }, ignored("event-not-handled")),
                new Case("an issues event is not handled", t -> t.client().json("issues", WebhookClient.newDelivery(),
                        Payloads.fixture("issues")), ignored("event-not-handled")),
                new Case("a .gitops.yml that sets approval is refused with its reason", t -> {
                    Repo r = t.repo();
                    r.git().write(".gitops.yml", "approval: auto\n");
                    String sha = r.change("main", "infra/dns/records.tf");
                    return t.client().json("push", WebhookClient.newDelivery(), Payloads.push(r.name(), "refs/heads/main", r.base(), sha));
                }, ignored("invalid-repo-config")),
                new Case("ping answers pong", t -> t.client().json("ping", WebhookClient.newDelivery(), Payloads.fixture("ping")),
                        reply -> {
                            assertEquals(200, reply.status());
                            assertTrue(reply.body().path("pong").asBoolean());
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void delivery(Case c) {
        c.expect().accept(c.send().apply(this));
    }

    // ------------------------------------------------------------------------------------------------ in detail

    @Test
    void theExecutionInputCarriesTheRunWithoutATokenAndTheNameReadsInTheConsole() {
        Repo r = repo();
        String sha = r.change("main", "infra/vpc/env_specific_vars/prd.tfvars");
        String delivery = WebhookClient.newDelivery();
        WebhookClient.Reply reply = client().json("push", delivery, Payloads.push(r.name(), "refs/heads/main", r.base(), sha));

        assertEquals(202, reply.status(), reply.body().toString());
        JsonNode stack = reply.body().path("stacks").get(0);
        assertEquals("infra/vpc", stack.path("name").asText());
        assertEquals("infra/vpc", stack.path("dir").asText());
        assertEquals("env file infra/vpc/env_specific_vars/prd.tfvars", stack.path("reasons").get(0).asText());
        JsonNode execution = reply.body().path("executions").get(0);
        String name = execution.path("name").asText();
        assertTrue(name.startsWith("prd-infra-vpc-" + sha.substring(0, 7) + "-" + delivery.substring(0, 8) + "-"), name);
        assertTrue(name.matches("[A-Za-z0-9_-]{1,80}"), name);

        JsonNode input = Payloads.parse(sfn.describeExecution(b -> b.executionArn(execution.path("executionArn").asText())).input());
        assertEquals(List.of("delivery", "event", "environment", "sha", "mode", "stacks", "skipped", "executions"),
                fieldNames(reply.body()), "DESIGN.md's answer");
        assertEquals(List.of("repository", "cloneUrl", "ref", "branch", "sha", "before", "environment", "mode", "stack",
                "lockId", "trigger", "approval", "source"), fieldNames(input), "DESIGN.md's fields, always in this order,"
                + " then the source archive the builds start from");
        assertEquals(List.of("location", "url", "sha256"), fieldNames(input.path("source")));
        assertTrue(input.path("source").path("sha256").asText().matches("[0-9a-f]{64}"), input.toString());
        assertEquals(List.of("event", "delivery", "sender", "compareUrl", "message", "forced"), fieldNames(input.path("trigger")),
                "a push has no pull request number");
        assertEquals(r.name(), input.path("repository").asText());
        assertFalse(input.path("cloneUrl").asText().contains("@"), "no credentials in the clone URL");
        assertEquals("refs/heads/main", input.path("ref").asText());
        assertEquals("main", input.path("branch").asText());
        assertEquals(sha, input.path("sha").asText());
        assertEquals(r.base(), input.path("before").asText());
        assertEquals("prd", input.path("environment").asText());
        assertEquals("apply", input.path("mode").asText());
        assertEquals("infra/vpc/backend_configs/prd.config", input.path("stack").path("backendConfig").asText());
        assertEquals("infra/vpc/env_specific_vars/prd.tfvars", input.path("stack").path("varFile").asText());
        assertEquals(r.name() + "/infra/vpc/prd", input.path("lockId").asText());
        assertEquals("push", input.path("trigger").path("event").asText());
        assertEquals(delivery, input.path("trigger").path("delivery").asText());
        assertEquals("ann-example", input.path("trigger").path("sender").asText());
        assertTrue(input.path("approval").path("required").asBoolean());
        assertEquals(86400, input.path("approval").path("timeoutSeconds").asInt());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aRedeliveryStartsNothingNewAndAnswersWithTheExecutionsAlreadyStarted() {
        Repo r = repo();
        String sha = r.change("main", "infra/dns/records.tf");
        ObjectNode payload = Payloads.push(r.name(), "refs/heads/main", r.base(), sha);
        String delivery = WebhookClient.newDelivery();
        WebhookClient.Reply first = client().json("push", delivery, payload);
        WebhookClient.Reply again = client().json("push", delivery, payload);

        assertEquals(202, again.status());
        assertEquals(first.body(), again.body());
        String machine = sfn.listStateMachines().stateMachines().get(0).stateMachineArn();
        long runs = sfn.listExecutionsPaginator(b -> b.stateMachineArn(machine)).executions().stream()
                .filter(e -> e.name().contains(delivery.substring(0, 8))).count();
        assertEquals(1, runs, "the redelivery started nothing");
    }

    /** The executions of the pipeline whose name carries {@code sha7}. */
    private List<String> executionsOf(String sha) {
        String machine = sfn.listStateMachines().stateMachines().get(0).stateMachineArn();
        return sfn.listExecutionsPaginator(b -> b.stateMachineArn(machine)).executions().stream()
                .filter(e -> e.name().contains("-" + sha.substring(0, 7) + "-")).map(e -> e.name()).toList();
    }

    private static List<String> executionNames(WebhookClient.Reply reply) {
        List<String> names = new ArrayList<>();
        reply.body().path("executions").forEach(e -> names.add(e.path("name").asText()));
        return names;
    }

    @Test
    void theSamePushUnderAnotherDeliveryIdAfterTheFirstFinishedStartsNothingAndNamesTheFirstsExecutions() {
        Repo r = repo();
        String sha = r.change("main", "infra/dns/records.tf");
        ObjectNode payload = Payloads.push(r.name(), "refs/heads/main", r.base(), sha);
        String first = WebhookClient.newDelivery();
        WebhookClient.Reply started = client().json("push", first, payload);
        assertEquals(202, started.status(), started.body().toString());
        String arn = started.body().path("executions").get(0).path("executionArn").asText();
        dev.gitops.Await.until(() -> !"RUNNING".equals(sfn.describeExecution(b -> b.executionArn(arn)).statusAsString()),
                "the first delivery's execution ends");

        String second = WebhookClient.newDelivery();
        WebhookClient.Reply again = client().json("push", second, payload);
        assertEquals(202, again.status(), again.body().toString());
        assertEquals(second, again.body().path("delivery").asText());
        assertEquals(first, again.body().path("duplicateOf").asText(), again.body().toString());
        assertEquals(executionNames(started), executionNames(again), "the executions the first delivery started");
        assertEquals(executionNames(started), executionsOf(sha), "nothing new was started");
    }

    @Test
    void twoCopiesOfOnePushArrivingTogetherStartOneSetOfExecutions() {
        Repo r = repo();
        String sha = r.change("main", "infra/dns/records.tf");
        ObjectNode payload = Payloads.push(r.name(), "refs/heads/main", r.base(), sha);
        List<CompletableFuture<WebhookClient.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replies.add(CompletableFuture.supplyAsync(() -> client().json("push", WebhookClient.newDelivery(), payload)));
        }
        Set<List<String>> named = new HashSet<>();
        for (CompletableFuture<WebhookClient.Reply> reply : replies) {
            WebhookClient.Reply answer = reply.join();
            assertEquals(202, answer.status(), answer.body().toString());
            named.add(executionNames(answer));
        }
        assertEquals(1, named.size(), "every copy names the same executions: " + named);
        assertEquals(1, executionsOf(sha).size(), "one set of executions: " + executionsOf(sha));
    }

    @Test
    void theSameContentAfterAnotherPushToTheRefIsANewPushAndRuns() {
        Repo r = repo();
        String sha = r.change("main", "infra/dns/records.tf");
        ObjectNode forward = Payloads.push(r.name(), "refs/heads/main", r.base(), sha);
        assertEquals(1, executionNames(client().json("push", WebhookClient.newDelivery(), forward)).size());
        r.git().resetHard(r.base()).pushBranch("main");
        WebhookClient.Reply back = client().json("push", WebhookClient.newDelivery(),
                Payloads.push(r.name(), "refs/heads/main", sha, r.base()));
        assertEquals(1, executionNames(back).size(), back.body().toString());
        r.git().resetHard(sha).pushBranch("main");
        WebhookClient.Reply again = client().json("push", WebhookClient.newDelivery(), forward);
        assertTrue(again.body().path("duplicateOf").isMissingNode(), again.body().toString());
        assertEquals(2, executionsOf(sha).size(), "the re-push after the revert ran again: " + executionsOf(sha));
    }

    @Test
    void aPullRequestSentTwiceIsPlannedOnceAndAReopenedOnePlansAgain() {
        Repo r = repo();
        r.git().checkout("feature/twice", true);
        String head = r.change("feature/twice", "infra/dns/twice.tf");
        r.git().push("refs/pull/51/head");
        ObjectNode opened = Payloads.pullRequest(r.name(), "opened", 51, r.name(), "feature/twice", head, "main", r.base());
        WebhookClient.Reply first = client().json("pull_request", WebhookClient.newDelivery(), opened);
        WebhookClient.Reply copy = client().json("pull_request", WebhookClient.newDelivery(), opened);
        assertEquals(first.body().path("delivery").asText(), copy.body().path("duplicateOf").asText(), copy.body().toString());
        assertEquals(executionNames(first), executionNames(copy));
        ObjectNode reopened = Payloads.pullRequest(r.name(), "reopened", 51, r.name(), "feature/twice", head, "main", r.base());
        ((ObjectNode) reopened.get("pull_request")).put("updated_at", "2026-12-01T09:00:00Z");
        WebhookClient.Reply again = client().json("pull_request", WebhookClient.newDelivery(), reopened);
        assertTrue(again.body().path("duplicateOf").isMissingNode(), again.body().toString());
        assertEquals(2, executionsOf(head).size(), "the reopened pull request planned again: " + executionsOf(head));
    }

    @Test
    void aHostileWhenModifiedGlobAgainstALongFileNameIsAnsweredInWellUnderASecond() {
        Repo r = repo();
        r.git().write(".gitops.yml", "stacks:\n  - name: dns\n    dir: infra/dns\n    when_modified: [\"*a*a*a*a*a*a*a*a*a*a*a*a*b\"]\n");
        String base = r.git().commit("a hostile glob");
        r.git().pushBranch("main");
        String sha = r.change("main", "a".repeat(240) + "c.txt");
        long start = System.nanoTime();
        WebhookClient.Reply reply = client().json("push", WebhookClient.newDelivery(), Payloads.push(r.name(), "refs/heads/main", base, sha));
        long millis = (System.nanoTime() - start) / 1_000_000;
        ignored("no-stack-changed").accept(reply);
        assertTrue(millis < 1000, "answered in " + millis + " ms");
    }

    @Test
    void aPushTouchingOnlyAnotherEnvironmentsDirectoryNamesItAndStartsNothing() {
        Repo r = repo();
        String sha = r.change("main", "environments/dev/app/variables.tf");
        WebhookClient.Reply reply = client().json("push", WebhookClient.newDelivery(),
                Payloads.push(r.name(), "refs/heads/main", r.base(), sha));
        ignored("no-stack-changed").accept(reply);
        assertEquals("environments/dev/app", reply.body().path("skipped").get(0).path("dir").asText(), reply.body().toString());
        assertEquals("belongs to environment dev", reply.body().path("skipped").get(0).path("reason").asText());
        assertTrue(reply.body().path("detail").asText().contains("environments/dev/app (belongs to environment dev)"));
    }

    @Test
    void aFormEncodedDeliveryIsHandledLikeAJsonOne() {
        Repo r = repo();
        String sha = r.change("main", "infra/dns/records.tf");
        WebhookClient.Reply reply = client().form("push", WebhookClient.newDelivery(),
                Payloads.push(r.name(), "refs/heads/main", r.base(), sha));
        started("prd", "apply", "infra/dns").accept(reply);
    }

    @Test
    void tenConcurrentDeliveriesForOneRepositoryAllStartTheirExecutions() {
        Repo r = repo();
        List<String> shas = new ArrayList<>();
        String before = r.base();
        List<ObjectNode> payloads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String sha = r.change("main", "infra/dns/file" + i + ".tf");
            payloads.add(Payloads.push(r.name(), "refs/heads/main", before, sha));
            shas.add(sha);
            before = sha;
        }
        List<CompletableFuture<WebhookClient.Reply>> replies = new ArrayList<>();
        for (ObjectNode payload : payloads) {
            replies.add(CompletableFuture.supplyAsync(() -> client().json("push", WebhookClient.newDelivery(), payload)));
        }
        Set<String> executions = new HashSet<>();
        for (CompletableFuture<WebhookClient.Reply> reply : replies) {
            WebhookClient.Reply r2 = reply.join();
            assertEquals(202, r2.status(), r2.body().toString());
            assertEquals(1, r2.body().path("executions").size(), r2.body().toString());
            executions.add(r2.body().path("executions").get(0).path("executionArn").asText());
        }
        assertEquals(10, executions.size());
    }

    @Test
    void twoStacksWhoseNamesSanitizeAlikeGetDifferentExecutionNames() {
        Repo r = repo();
        r.git().write(".gitops.yml", """
                stacks:
                  - {name: "net.a", dir: infra/vpc}
                  - {name: "net/a", dir: infra/dns}
                """);
        r.git().write("infra/vpc/x.tf", "# a\n").write("infra/dns/x.tf", "# b\n");
        String sha = r.git().commit("two stacks");
        r.git().pushBranch("main");
        WebhookClient.Reply reply = client().json("push", WebhookClient.newDelivery(), Payloads.push(r.name(), "refs/heads/main", r.base(), sha));
        assertEquals(202, reply.status(), reply.body().toString());
        String first = reply.body().path("executions").get(0).path("name").asText();
        String second = reply.body().path("executions").get(1).path("name").asText();
        assertNotEquals(first, second);
        assertTrue(first.startsWith("prd-net-a-") && second.startsWith("prd-net-a-"), first + " " + second);
    }

    // ------------------------------------------------------------------------------------------------ refusals

    @Test
    void githubsPublishedSignatureVectorVerifies() {
        byte[] key = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        assertTrue(Signatures.valid(key, body, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
        assertFalse(Signatures.valid(key, body, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18"));
    }

    @Test
    void aWrongOrMissingSignatureIs401AndNothingHappens() {
        Repo r = repo();
        String sha = r.change("main", "infra/dns/records.tf");
        byte[] body = Payloads.push(r.name(), "refs/heads/main", r.base(), sha).toString().getBytes(StandardCharsets.UTF_8);
        String delivery = WebhookClient.newDelivery();
        WebhookClient.Reply forged = client().send("push", delivery, "application/json", body,
                Signatures.sign("not the secret".getBytes(StandardCharsets.UTF_8), body));
        WebhookClient.Reply unsigned = client().send("push", delivery, "application/json", body, null);

        assertEquals(401, forged.status());
        assertEquals("signature-mismatch", forged.body().path("error").asText());
        assertEquals(401, unsigned.status());
        assertEquals("signature-missing", unsigned.body().path("error").asText());
        assertEquals(202, client().json("push", delivery, Payloads.parse(new String(body, StandardCharsets.UTF_8))).status(),
                "the delivery was not recorded: the genuine one still runs");
    }

    @Test
    void badInputGetsA4xxNamingTheProblemNeverA5xx() {
        WebhookClient c = client();
        byte[] notJson = "{not json".getBytes(StandardCharsets.UTF_8);
        byte[] noAfter = "{\"ref\":\"refs/heads/main\",\"before\":\"0000000000000000000000000000000000000000\",\"repository\":{\"full_name\":\"acme/x\",\"clone_url\":\"https://github.com/acme/x.git\"}}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] traversal = Payloads.push("acme/..", "refs/heads/main", Payloads.ZEROS, "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c")
                .toString().getBytes(StandardCharsets.UTF_8);
        byte[] big = new byte[300 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        byte[] xml = "<push/>".getBytes(StandardCharsets.UTF_8);
        record Bad(String what, String event, String delivery, String type, byte[] body, int status, String error) {
        }
        for (Bad bad : List.of(
                new Bad("malformed JSON", "push", WebhookClient.newDelivery(), "application/json", notJson, 400, "malformed-json"),
                new Bad("a push without after", "push", WebhookClient.newDelivery(), "application/json", noAfter, 400, "malformed-payload"),
                new Bad("a repository name with ..", "push", WebhookClient.newDelivery(), "application/json", traversal, 400, "malformed-payload"),
                new Bad("an XML body", "push", WebhookClient.newDelivery(), "application/xml", xml, 415, "unsupported-media-type"),
                new Bad("no event header", null, WebhookClient.newDelivery(), "application/json", noAfter, 400, "missing-header"),
                new Bad("no delivery header", "push", null, "application/json", noAfter, 400, "missing-header"),
                new Bad("a form body without payload", "push", WebhookClient.newDelivery(), "application/x-www-form-urlencoded",
                        "other=1".getBytes(StandardCharsets.US_ASCII), 400, "malformed-payload"),
                new Bad("a body over gitops.webhook.max-body", "push", WebhookClient.newDelivery(), "application/json", big, 413,
                        "payload-too-large"))) {
            WebhookClient.Reply reply = c.send(bad.event(), bad.delivery(), bad.type(), bad.body(), Signatures.sign(c.secret(), bad.body()));
            assertEquals(bad.status(), reply.status(), bad.what() + ": " + reply.body());
            assertEquals(bad.error(), reply.body().path("error").asText(), bad.what() + ": " + reply.body());
            assertFalse(reply.body().path("message").asText().isBlank(), bad.what());
        }
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
