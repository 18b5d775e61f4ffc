package dev.gitops.approval;

import dev.gitops.Await;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.TestPorts;
import dev.gitops.changes.GitFixture;
import dev.gitops.runner.TerraformDouble;
import dev.gitops.webhook.Payloads;
import dev.gitops.webhook.WebhookClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Approvals end to end in local mode: the Slack message (captured by a stand-in), the signed link opened in headless
 * Chromium, decisions by page and by Slack button, refusals (unfurler GET, reuse, forgery, expiry, double POST,
 * approvers), superseding by a newer push, and the commit statuses GitHub (a stand-in) is told along the way.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalTest implements TestPropertyProvider {
    static final String SECRET = "approval test secret";
    static final String SLACK_SECRET = "slack signing secret for tests";
    private static final AtomicInteger REPOS = new AtomicInteger();
    private static final Pattern LINK = Pattern.compile("(http://[^\"]+/approvals/([0-9a-f]{32})\\?sig=[A-Za-z0-9_-]+)");

    private final Path root = Await.tempDir("approval-repos");
    private final Path states = Await.sharedDir("approval-states");
    private final int port = TestPorts.free();
    private final StandIn standIn = standIn();

    @Inject
    EmbeddedServer server;
    @Inject
    SfnClient sfn;
    @Inject
    ApprovalStore store;
    @Inject
    software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb;
    @Inject
    dev.gitops.aws.Tables tables;

    /** While set, Step Functions refuses every SendTaskFailure "Superseded" (a test double for its outage). */
    static final java.util.concurrent.atomic.AtomicBoolean SUPERSEDE_OUTAGE = new java.util.concurrent.atomic.AtomicBoolean();

    /** A test double for a Step Functions outage that only superseding meets. */
    @jakarta.inject.Singleton
    @io.micronaut.context.annotation.Requires(property = "test.supersede-outage", value = "true")
    static class SupersedeOutage implements io.micronaut.context.event.BeanCreatedEventListener<software.amazon.awssdk.services.sfn.SfnClientBuilder> {
        @Override
        public software.amazon.awssdk.services.sfn.SfnClientBuilder onCreated(
                io.micronaut.context.event.BeanCreatedEvent<software.amazon.awssdk.services.sfn.SfnClientBuilder> event) {
            return event.getBean().overrideConfiguration(c -> c.addExecutionInterceptor(
                    new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                        @Override
                        public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                                    software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                            if (SUPERSEDE_OUTAGE.get() && context.request() instanceof software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest f
                                    && "Superseded".equals(f.error())) {
                                throw software.amazon.awssdk.services.sfn.model.SfnException.builder().statusCode(503)
                                        .message("Service Unavailable (test double)").build();
                            }
                        }
                    }));
        }
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("test.supersede-outage", "true");
        p.put("micronaut.server.port", Integer.toString(port));
        p.put("gitops.public-url", "http://127.0.0.1:" + port);
        p.put("gitops.local.data-dir", Await.tempDir("approval-data").toString());
        p.put("gitops.local.engine-port", Integer.toString(TestPorts.free()));
        p.put("gitops.webhook.secret", SECRET);
        p.put("gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git");
        p.put("gitops.runner.path", TerraformDouble.path(TerraformDouble.install(Await.tempDir("approval-bin"))));
        p.put("gitops.lock.poll-interval", "1s");
        p.put("gitops.slack.webhook-url", standIn.url("/slack"));
        p.put("gitops.slack.signing-secret", SLACK_SECRET);
        p.put("gitops.github.api-url", standIn.url("/github"));
        p.put("gitops.github.token", "github-token-for-tests");
        p.put("gitops.notifications.retry-backoff", "20ms");
        p.put("gitops.approval.link-secret", "a link secret of enough length");
        p.put("gitops.environments.guarded.order", "4");
        p.put("gitops.environments.guarded.branches", "guarded");
        p.put("gitops.environments.guarded.approvers", "U0APPROVER");
        p.put("gitops.environments.brief.order", "5");
        p.put("gitops.environments.brief.branches", "brief");
        p.put("gitops.environments.brief.approval-timeout", "2s");
        return p;
    }

    @AfterAll
    void stop() {
        standIn.close();
    }

    // ------------------------------------------------------------------------------------------------ the browser

    @Test
    void chromiumOpensTheLinkFromSlackApprovesAndTheExecutionIsDeployed() throws Exception {
        Assumptions.assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt install chromium)");
        Repo repo = repo();
        Push push = repo.change("develop", app("web"));
        Pending pending = awaitSlackLink(push);
        JsonNode message = pending.message;
        assertFalse(message.path("unfurl_links").asBoolean(true));
        assertFalse(message.path("unfurl_media").asBoolean(true));
        assertTrue(message.toString().contains("1 to add, 0 to change, 0 to destroy"), message.toString());
        assertTrue(message.toString().contains("null_resource.web"), message.toString());
        try (Chromium browser = new Chromium()) {
            browser.open(pending.link);
            assertEquals("tst", browser.eval("document.getElementById('environment').innerText").asText());
            assertTrue(browser.eval("document.getElementById('plan').innerText").asText().contains("null_resource.web"));
            browser.eval("document.getElementById('approver').value = 'Ann Approver'; document.getElementById('approve').click()");
            browser.waitFor("document.getElementById('message') !== null");
            assertTrue(browser.eval("document.getElementById('message').innerText").asText().startsWith("Approved by Ann Approver"));
        }
        assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(push.execution()).status());
        Approval decided = store.get(pending.id);
        assertEquals(ApprovalStatus.APPROVED, decided.status());
        assertEquals("Ann Approver", decided.decidedBy());
        String context = "gitops/tst/infra/app";
        Await.until(() -> standIn.statuses(push.sha).contains(context + " success applied (+1 ~0 -0)"), "the final status");
        List<String> statuses = standIn.statuses(push.sha);
        assertEquals(context + " pending planning", statuses.get(0));
        assertTrue(statuses.contains(context + " pending awaiting approval"), statuses.toString());
        assertTrue(standIn.calls.stream().filter(c -> c.path().contains("/statuses/")).allMatch(c ->
                "Bearer github-token-for-tests".equals(c.authorization())));
    }

    @Test
    void chromiumRejectsAndTheExecutionEndsRejected() throws Exception {
        Assumptions.assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt install chromium)");
        Repo repo = repo();
        Push push = repo.change("develop", app("web"));
        Pending pending = awaitSlackLink(push);
        try (Chromium browser = new Chromium()) {
            browser.open(pending.link);
            browser.eval("document.getElementById('approver').value = 'Bob'; document.getElementById('reject').click()");
            browser.waitFor("document.getElementById('message') !== null");
        }
        DescribeExecutionResponse done = awaitEnd(push.execution());
        assertEquals("Rejected", done.error());
        Await.until(() -> standIn.statuses(push.sha).contains("gitops/tst/infra/app failure rejected"), "the failure status");
        Await.until(() -> standIn.slack().stream().anyMatch(c -> c.body().toString().contains("rejected by Bob")), "Slack hears it");
    }

    // ------------------------------------------------------------------------------------------------ refusals

    @Test
    void anUnfurlersGetDecidesNothingAndReusedForgedAndUnknownLinksAreRefused() throws Exception {
        Repo repo = repo();
        Push push = repo.change("develop", app("web"));
        Pending pending = awaitSlackLink(push);
        Reply unfurl = get(pending.link, "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)");
        assertEquals(200, unfurl.status);
        assertTrue(unfurl.body.contains("Approve and apply"));
        assertEquals(ApprovalStatus.PENDING, store.get(pending.id).status(), "a GET never decides");
        assertEquals(ExecutionStatus.RUNNING, sfn.describeExecution(b -> b.executionArn(push.execution())).status());

        String forged = pending.link.replaceAll("sig=.*", "sig=AAAA" + pending.link.substring(pending.link.length() - 10));
        assertEquals(403, get(forged, null).status);
        assertEquals(404, get(pending.link.replace(pending.id, "0".repeat(32)), null).status);

        Form form = form(pending.link);
        assertEquals(403, post(pending.id, form, "approver=Eve&decision=approve", null).status, "no Origin: refused");
        assertEquals(403, post(pending.id, form, "approver=Eve&decision=approve", "https://evil.example").status);
        assertEquals(403, post(pending.id, new Form(form.sig, "wrong", form.cookie), "approver=Eve&decision=approve", origin()).status);
        assertEquals(ApprovalStatus.PENDING, store.get(pending.id).status());

        assertEquals(200, post(pending.id, form, "approver=Ann&decision=approve", origin()).status);
        Reply reused = get(pending.link, null);
        assertEquals(409, reused.status);
        assertTrue(reused.body.contains("approved by Ann"), reused.body);
        assertEquals(409, post(pending.id, form, "approver=Ann&decision=reject", origin()).status);
        assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(push.execution()).status());
    }

    @Test
    void aPlanTextChangedAfterThePlanIsNotShownAndCannotBeApproved() throws Exception {
        Repo repo = repo();
        Push push = repo.change("develop", app("web"));
        Pending pending = awaitSlackLink(push);
        Path text = Path.of(store.get(pending.id).planLocation() + ".txt");
        Files.writeString(text, "No changes. Your infrastructure matches the configuration.\n");
        Reply page = get(pending.link, null);
        assertEquals(200, page.status);
        assertFalse(page.body.contains("Approve and apply"), page.body);
        assertFalse(page.body.contains("No changes. Your infrastructure"), "the changed text is not shown");
        assertTrue(page.body.contains("does not have the sha256 its plan build recorded"), page.body);
        Form form = form(pending.link);
        assertEquals(409, post(pending.id, form, "approver=Ann&decision=approve", origin()).status);
        Reply slack = slack("approve", pending.id, "U0ANYONE", Instant.now());
        assertTrue(slack.body.contains("cannot be approved"), "nor through Slack: " + slack.body);
        assertEquals(ApprovalStatus.PENDING, store.get(pending.id).status(), "nothing was decided");
        assertEquals(200, post(pending.id, form, "approver=Ann&decision=reject", origin()).status, "it can still be rejected");
        assertEquals("Rejected", awaitEnd(push.execution()).error());
    }

    @Test
    void twoSimultaneousPostsDecideOnce() throws Exception {
        Repo repo = repo();
        Push push = repo.change("develop", app("web"));
        Pending pending = awaitSlackLink(push);
        Form form = form(pending.link);
        List<CompletableFuture<Reply>> posts = new ArrayList<>();
        for (String decision : List.of("approve", "reject", "approve", "reject")) {
            posts.add(CompletableFuture.supplyAsync(() -> post(pending.id, form, "approver=P&decision=" + decision, origin())));
        }
        List<Integer> codes = posts.stream().map(f -> f.join().status).sorted().toList();
        assertEquals(200, codes.get(0));
        assertTrue(codes.subList(1, codes.size()).stream().allMatch(c -> c == 409 || c == 410), codes.toString());
        awaitEnd(push.execution());
    }

    @Test
    void anExpiredLinkIsRefusedAndTheExecutionEndsExpired() throws Exception {
        Repo repo = repo();
        Push push = repo.change("brief", app("web"));
        Pending pending = awaitSlackLink(push);
        DescribeExecutionResponse done = awaitEnd(push.execution());
        assertEquals("Expired", done.error());
        assertEquals(410, get(pending.link, null).status);
        Await.until(() -> standIn.slack().stream().anyMatch(c -> c.body().toString().contains("expired")), "Slack hears of it");
        Await.until(() -> standIn.statuses(push.sha).contains("gitops/brief/infra/app failure approval expired"), "the status");
        assertEquals(ApprovalStatus.EXPIRED, store.get(pending.id).status());
    }

    @Test
    void whereApproversAreNamedOnlyTheyDecideAndOnlyInSlack() throws Exception {
        Repo repo = repo();
        Push push = repo.change("guarded", app("web"));
        Pending pending = awaitSlackLink(push);
        Reply page = get(pending.link, null);
        assertEquals(200, page.status);
        assertTrue(page.body.contains("approvers-only"), "the page shows the plan but no buttons");
        assertEquals(403, post(pending.id, form(pending.link), "approver=Ann&decision=approve", origin()).status);

        Reply stranger = slack("approve", pending.id, "U0STRANGER", Instant.now());
        assertEquals(200, stranger.status);
        assertTrue(stranger.body.contains("Only the approvers"), stranger.body);
        assertEquals(ApprovalStatus.PENDING, store.get(pending.id).status());

        assertEquals(401, slack("approve", pending.id, "U0APPROVER", Instant.now().minus(Duration.ofMinutes(6))).status,
                "a replayed Slack request is refused");
        Reply approver = slack("approve", pending.id, "U0APPROVER", Instant.now());
        assertTrue(approver.body.contains("Approved by"), approver.body);
        assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(push.execution()).status());
        assertEquals("approver (U0APPROVER)", store.get(pending.id).decidedBy());
    }

    // ------------------------------------------------------------------------------------------------ superseding

    @Test
    void aNewerPushSupersedesTheWaitingOneAndARedeliveryOfTheOlderSupersedesNothing() throws Exception {
        Repo repo = repo();
        Push first = repo.change("develop", app("web"));
        Pending firstPending = awaitSlackLink(first);
        Push second = repo.change("develop", app("web") + app("db"));
        DescribeExecutionResponse retired = awaitEnd(first.execution());
        assertEquals("Superseded", retired.error());
        assertEquals(ApprovalStatus.SUPERSEDED, store.get(firstPending.id).status());
        Await.until(() -> standIn.slack().stream().anyMatch(c -> c.body().toString().contains("`" + second.sha.substring(0, 7)
                + "` replaced `" + first.sha.substring(0, 7) + "`")), "Slack says which commit replaced which");
        Pending secondPending = awaitSlackLink(second);

        // GitHub redelivers the first push, and its delivery record is gone (as when a redelivery outruns the record):
        // the push is handled again, its execution exists already, so nothing is superseded and no status is reset
        Await.until(() -> standIn.statuses(first.sha).contains("gitops/tst/infra/app failure superseded by a newer commit"),
                "the first commit's final status");
        var key = Map.of("delivery", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(first.delivery));
        Await.until(() -> dynamoDb.getItem(b -> b.tableName(tables.getDeliveries()).key(key)).hasItem(), "the delivery is recorded");
        dynamoDb.deleteItem(b -> b.tableName(tables.getDeliveries()).key(key));
        int statusesBefore = standIn.statuses(first.sha).size();
        WebhookClient.Reply redelivered = client().json("push", first.delivery, first.payload);
        assertEquals(202, redelivered.status());
        assertEquals(first.execution(), redelivered.body().path("executions").get(0).path("executionArn").asText());
        Thread.sleep(300);
        assertEquals(statusesBefore, standIn.statuses(first.sha).size(), "no status set again for a redelivery");
        assertEquals(ApprovalStatus.PENDING, store.get(secondPending.id).status());
        assertEquals(ExecutionStatus.RUNNING, sfn.describeExecution(b -> b.executionArn(second.execution())).status());
        Await.until(() -> standIn.statuses(first.sha).contains("gitops/tst/infra/app failure superseded by a newer commit"),
                "the first commit's status");
        sfn.stopExecution(b -> b.executionArn(second.execution()));
    }

    @Test
    void theSamePushUnderAnotherDeliveryMomentsLaterResetsNoCommitStatus() throws Exception {
        Repo repo = repo();
        Push push = repo.change("develop", app("web"));
        awaitSlackLink(push);
        Await.until(() -> standIn.statuses(push.sha).stream().anyMatch(s -> s.contains("awaiting approval")), "awaiting approval");
        int statusesBefore = standIn.statuses(push.sha).size();
        WebhookClient.Reply copy = client().json("push", WebhookClient.newDelivery(), push.payload);
        assertEquals(push.delivery, copy.body().path("duplicateOf").asText(), copy.body().toString());
        Thread.sleep(300);
        assertEquals(statusesBefore, standIn.statuses(push.sha).size(), "a copy within seconds is still a copy: "
                + standIn.statuses(push.sha));
        sfn.stopExecution(b -> b.executionArn(push.execution()));
    }

    @Test
    void aSupersedingStepFunctionsNeverTakesLeavesTheOlderApprovalDecidable() throws Exception {
        Repo repo = repo();
        Push first = repo.change("develop", app("web"));
        Pending firstPending = awaitSlackLink(first);
        SUPERSEDE_OUTAGE.set(true);
        try {
            repo.change("develop", app("web") + app("db"));
            Await.until(() -> store.get(firstPending.id).status() == ApprovalStatus.SUPERSEDED, "the newer push supersedes it");
            Await.until(() -> store.get(firstPending.id).status() == ApprovalStatus.PENDING, "Step Functions never takes it:"
                    + " the superseding gives up");
        } finally {
            SUPERSEDE_OUTAGE.set(false);
        }
        assertEquals(ApprovalStatus.PENDING, store.get(firstPending.id).status(), "pending again, to be decided");
        assertEquals(ExecutionStatus.RUNNING, sfn.describeExecution(b -> b.executionArn(first.execution())).status());
        Form form = form(firstPending.link);
        assertEquals(200, post(firstPending.id, form, "approver=Ann&decision=reject", origin()).status);
        assertEquals("Rejected", awaitEnd(first.execution()).error(), "and it was decided");
    }

    @Test
    void aNewerPushThatArrivesWhileTheOlderStillPlansRetiresItWhenItComesToWait() throws Exception {
        Repo repo = repo();
        Push first = repo.change("develop", app("web") + "# SLEEP_PLAN: 4\n");
        Push second = repo.change("develop", app("web") + app("db"));
        Await.until(() -> second.execution() != null && store.ofExecution(first.execution()).size() == 1,
                "the first execution comes to wait for approval");
        DescribeExecutionResponse retired = awaitEnd(first.execution());
        assertEquals("Superseded", retired.error(), "the newer push, first in line for the lock, retires it");
        Pending secondPending = awaitSlackLink(second);
        assertEquals(ApprovalStatus.PENDING, store.get(secondPending.id).status());
        sfn.stopExecution(b -> b.executionArn(second.execution()));
    }

    @Test
    void aSlackOutageNeverFailsThePipeline() throws Exception {
        Repo repo = repo();
        standIn.failNext.set(1000);
        try {
            int tried = (int) standIn.attempts.stream().filter("/slack"::equals).count();
            Push push = repo.change("develop", app("web"));
            Await.until(() -> !store.ofExecution(push.execution()).isEmpty(), "the approval is stored despite Slack");
            Await.until(() -> standIn.attempts.stream().filter("/slack"::equals).count() >= tried + 2, "Slack is tried again");
            assertEquals(ExecutionStatus.RUNNING, sfn.describeExecution(b -> b.executionArn(push.execution())).status());
            sfn.stopExecution(b -> b.executionArn(push.execution()));
        } finally {
            standIn.failNext.set(0);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    record Push(String sha, String delivery, com.fasterxml.jackson.databind.node.ObjectNode payload, WebhookClient.Reply reply) {
        String execution() {
            assertEquals(202, reply.status(), reply.body().toString());
            return reply.body().path("executions").get(0).path("executionArn").asText();
        }
    }

    record Pending(String id, String link, JsonNode message) {
    }

    record Reply(int status, String body) {
    }

    record Form(String sig, String csrf, String cookie) {
    }

    final class Repo {
        final String name;
        final GitFixture git;

        Repo(String name) {
            this.name = name;
            this.git = GitFixture.create(root, name);
            for (String env : List.of("tst", "guarded", "brief")) {
                git.write("infra/app/backend_configs/" + env + ".config",
                        "path = \"" + states.resolve(name.replace('/', '-') + "-" + env + ".json") + "\"\n");
            }
            git.write("infra/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\n");
            git.commit("base");
            git.pushBranch("main").pushBranch("develop");
        }

        Push change(String branch, String content) {
            String before = git.remoteHead(branch);
            if (before == null) {
                git.pushBranch(branch);
                before = git.head();
            }
            git.write("infra/app/main.tf", content);
            String sha = git.commit("change for " + branch);
            git.pushBranch(branch);
            String delivery = WebhookClient.newDelivery();
            var payload = Payloads.push(name, "refs/heads/" + branch, before, sha);
            return new Push(sha, delivery, payload, client().json("push", delivery, payload));
        }

    }

    Repo repo() {
        return new Repo("acme/approval-" + REPOS.incrementAndGet());
    }

    WebhookClient client() {
        return new WebhookClient(server.getURI(), SECRET);
    }

    static String app(String resource) {
        return "terraform {\n  backend \"s3\" {}\n}\nresource \"null_resource\" \"" + resource + "\" {\n}\n";
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits for the Slack message of the push's approval and returns its link (the "Open the plan" button). */
    Pending awaitSlackLink(Push push) {
        String execution = push.execution();
        Await.until(() -> !store.ofExecution(execution).isEmpty(), "an approval for " + execution);
        String id = store.ofExecution(execution).get(0).id();
        Await.until(() -> standIn.slack().stream().anyMatch(c -> c.body().toString().contains(id)), "the Slack message of " + id);
        JsonNode message = standIn.slack().stream().filter(c -> c.body().toString().contains(id)).findFirst().orElseThrow().body();
        Matcher m = LINK.matcher(message.toString());
        assertTrue(m.find(), message.toString());
        assertEquals(id, m.group(2));
        return new Pending(id, m.group(1), message);
    }

    DescribeExecutionResponse awaitEnd(String execution) {
        Await.until(() -> sfn.describeExecution(b -> b.executionArn(execution)).status() != ExecutionStatus.RUNNING, execution + " ends");
        return sfn.describeExecution(b -> b.executionArn(execution));
    }

    Reply get(String url, String userAgent) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (userAgent != null) {
            b.header("User-Agent", userAgent);
        }
        return send(b.build());
    }

    /** What the page gives a browser: the signature, the CSRF token and its cookie. */
    Form form(String link) throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        String cookie = page.headers().firstValue("Set-Cookie").orElse("").split(";")[0];
        return new Form(link.substring(link.indexOf("sig=") + 4), csrf.find() ? csrf.group(1) : "", cookie);
    }

    Reply post(String id, Form form, String fields, String origin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin() + "/approvals/" + id))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", form.cookie)
                .POST(HttpRequest.BodyPublishers.ofString("sig=" + form.sig + "&csrf=" + URLEncoder.encode(form.csrf,
                        StandardCharsets.UTF_8) + "&" + fields));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return send(b.build());
    }

    /** A Slack button press, signed as Slack signs it, at {@code at}. */
    Reply slack(String action, String id, String user, Instant at) throws Exception {
        String payload = "{\"type\":\"block_actions\",\"user\":{\"id\":\"" + user + "\",\"username\":\"approver\"},"
                + "\"actions\":[{\"action_id\":\"" + action + "\",\"value\":\"" + id + "\"}]}";
        String body = "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
        String timestamp = Long.toString(at.getEpochSecond());
        String signature = SlackSignature.sign(SLACK_SECRET.getBytes(StandardCharsets.UTF_8), at.getEpochSecond(),
                body.getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(origin() + "/slack/interactions"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", timestamp).header("X-Slack-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }


    private static StandIn standIn() {
        try {
            return new StandIn();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
