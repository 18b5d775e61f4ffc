package dev.gitops.console;

import dev.gitops.Await;
import dev.gitops.TestPorts;
import dev.gitops.approval.Approvals;
import dev.gitops.approval.ApprovalStore;
import dev.gitops.approval.Chromium;
import dev.gitops.changes.GitFixture;
import dev.gitops.runner.TerraformDouble;
import dev.gitops.webhook.Payloads;
import dev.gitops.webhook.WebhookClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console (/ui) in local mode against the real engine and DynamoDB Local: in headless Chromium the list shows a
 * running execution, its page the graph with the waiting state highlighted and the history, the locks page releases a
 * lock with the admin token and refuses without it, the deployments page shows a deployment once approved. Over HTTP:
 * every refusal is a 4xx page naming what was wrong (unknown execution, lock or build, malformed filter, a release
 * without Origin or CSRF token), and no page carries a script.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest implements TestPropertyProvider {
    static final String SECRET = "console test secret";
    static final String ADMIN = "console admin token";
    private static final AtomicInteger REPOS = new AtomicInteger();
    private static final String HOSTILE_MESSAGE = "add web </details><script>alert(1)</script>";

    private final Path root = Await.tempDir("console-repos");
    private final Path states = Await.sharedDir("console-states");
    private final int port = TestPorts.free();

    @Inject
    EmbeddedServer server;
    @Inject
    SfnClient sfn;
    @Inject
    ApprovalStore store;
    @Inject
    Approvals approvals;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("micronaut.server.port", Integer.toString(port));
        p.put("gitops.public-url", "http://127.0.0.1:" + port);
        p.put("gitops.local.data-dir", Await.tempDir("console-data").toString());
        p.put("gitops.local.engine-port", Integer.toString(TestPorts.free()));
        p.put("gitops.webhook.secret", SECRET);
        p.put("gitops.admin-token", ADMIN);
        p.put("gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git");
        p.put("gitops.runner.path", TerraformDouble.path(TerraformDouble.install(Await.tempDir("console-bin"))));
        p.put("gitops.approval.link-secret", "a link secret of enough length");
        return p;
    }

    // ------------------------------------------------------------------------------------------------ the browser

    @Test
    void chromiumListsTheWaitingExecutionShowsItsGraphAndHistoryAndReleasesItsLockOnlyWithTheAdminToken() throws Exception {
        Assumptions.assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt install chromium)");
        Repo repo = repo();
        String execution = repo.change(HOSTILE_MESSAGE);
        awaitApproval(execution);
        String name = execution.substring(execution.lastIndexOf(':') + 1);
        try (Chromium browser = new Chromium()) {
            browser.open(origin() + "/ui");
            String list = browser.eval("document.getElementById('executions').innerText").asText();
            assertTrue(list.contains(name), list);
            assertEquals("RUNNING", browser.eval("[...document.querySelectorAll('#executions tr')].find(r => r.innerText"
                    + ".includes('" + name + "')).querySelector('.badge').innerText").asText());

            browser.eval("[...document.querySelectorAll('#executions a')].find(a => a.innerText === '" + name + "').click()");
            browser.waitFor("document.getElementById('diagram') !== null");
            assertEquals("WaitForApproval", browser.eval("document.querySelector('#diagram g.current').dataset.state").asText());
            assertEquals("WaitForApproval", browser.eval("document.querySelector('#diagram g.current text').textContent").asText());
            assertEquals(1, browser.eval("document.querySelectorAll('#diagram g.current').length").asInt());
            assertTrue(browser.eval("document.querySelector('#diagram g[data-state=\"Plan\"]').classList.contains('taken')").asBoolean());
            assertFalse(browser.eval("document.querySelector('#diagram g[data-state=\"Apply\"]').classList.contains('taken')").asBoolean());
            String history = browser.eval("document.getElementById('history').innerText").asText();
            for (String type : List.of("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskSucceeded", "ChoiceStateEntered")) {
                assertTrue(history.contains(type), type + " in " + history);
            }
            String approval = browser.eval("document.getElementById('approval').href").asText();
            assertTrue(approval.contains("/approvals/") && !approval.contains("sig="), "the unsigned page only: " + approval);
            assertTrue(browser.eval("document.getElementById('plan-summary').innerText").asText().startsWith("1 to add"));
            assertTrue(browser.eval("document.getElementById('input').innerText").asText().contains(HOSTILE_MESSAGE),
                    "the commit message is shown as text");
            assertEquals(0, browser.eval("document.scripts.length").asInt(), "no script in the page");

            browser.eval("document.querySelector('a.build-log').click()");
            browser.waitFor("document.getElementById('text') !== null");
            assertTrue(browser.eval("document.getElementById('text').innerText").asText().contains("null_resource.web"));

            browser.open(origin() + "/ui/locks");
            String lockId = repo.name + "/infra/app/tst";
            String row = "[...document.querySelectorAll('#locks tr')].find(r => r.innerText.includes('" + lockId + "'))";
            assertTrue(browser.eval(row + ".innerText").asText().contains("approval"), "the phase");
            assertTrue(browser.eval(row + ".innerText").asText().contains(name), "the holder");
            assertEquals("admin token", browser.eval(row + ".querySelector('label').innerText.trim()").asText());
            browser.eval(row + ".querySelector('button').click()");
            browser.waitFor("document.getElementById('error') !== null");
            assertTrue(browser.eval("document.getElementById('error').innerText").asText().contains("Type the admin token"));
            browser.eval(row + ".querySelector('input[name=token]').value = 'not the token'; " + row + ".querySelector('button').click()");
            browser.waitFor("document.getElementById('error') !== null && document.getElementById('error').innerText.includes('not the admin token')");
            assertTrue(browser.eval(row + " !== undefined").asBoolean(), "still held");
            browser.eval(row + ".querySelector('input[name=token]').value = '" + ADMIN + "'; " + row + ".querySelector('button').click()");
            browser.waitFor("document.getElementById('notice') !== null");
            assertTrue(browser.eval("document.getElementById('notice').innerText").asText().contains("Released lock " + lockId));
            assertTrue(browser.eval(row + " === undefined").asBoolean(), "no longer listed");
        }
        sfn.stopExecution(b -> b.executionArn(execution));
    }

    @Test
    void chromiumShowsTheDeploymentOnceApproved() throws Exception {
        Assumptions.assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt install chromium)");
        Repo repo = repo();
        String execution = repo.change("add web");
        String id = awaitApproval(execution);
        assertEquals(Approvals.Outcome.DECIDED, approvals.decide(id, true, "Ann Approver", "page"));
        Await.until(() -> sfn.describeExecution(b -> b.executionArn(execution)).status() == ExecutionStatus.SUCCEEDED, "deployed");
        String name = execution.substring(execution.lastIndexOf(':') + 1);
        try (Chromium browser = new Chromium()) {
            browser.open(origin() + "/ui/deployments?environment=tst");
            String now = browser.eval("document.getElementById('now').innerText").asText();
            assertTrue(now.contains(name) && now.contains("Ann Approver") && now.contains("+1 ~0 -0"), now);
            assertTrue(browser.eval("document.getElementById('history').innerText").asText().contains(name));
            browser.open(origin() + "/ui/executions/" + name);
            assertEquals(0, browser.eval("document.querySelectorAll('#diagram g.current').length").asInt(), "nothing runs");
            assertTrue(browser.eval("document.querySelector('#diagram g[data-state=\"Deployed\"]').classList.contains('taken')").asBoolean());
        }
    }

    // ------------------------------------------------------------------------------------------------ refusals

    @Test
    void unknownOrMalformedThingsAre4xxPagesThatSayWhatWasWrong() {
        Reply unknown = get("/ui/executions/tst-nothing-0000000-00000000");
        assertEquals(404, unknown.status);
        assertTrue(unknown.body.contains("There is no execution named tst-nothing-0000000-00000000"), unknown.body);
        assertEquals(404, get("/ui/executions/" + URLEncoder.encode("<script>", StandardCharsets.UTF_8)).status);
        assertEquals(404, get("/ui/executions/tst-nothing/plan").status);
        Reply status = get("/ui?status=SOMETIMES");
        assertEquals(400, status.status);
        assertTrue(status.body.contains("status must be one of RUNNING"), status.body);
        Reply token = get("/ui?nextToken=forged");
        assertEquals(400, token.status);
        assertTrue(token.body.contains("nextToken is not one this API gave out"), token.body);
        Reply env = get("/ui/deployments?environment=nowhere");
        assertEquals(400, env.status);
        assertTrue(env.body.contains("environment must be one of"), env.body);
        assertEquals(404, get("/ui/builds/..%2F..%2Fwebhook-secret").status);
        assertEquals(404, get("/ui/builds/00000000-0000-0000-0000-000000000000").status);
        Reply drift = get("/ui/drift");
        assertEquals(200, drift.status);
        assertTrue(drift.body.contains("Drift detection has not run"), drift.body);
        for (String page : List.of("/ui", "/ui/locks", "/ui/deployments", "/ui/drift")) {
            Reply reply = get(page);
            assertEquals(200, reply.status, page);
            assertFalse(reply.body.contains("<script"), page + " has no script");
            assertTrue(reply.csp.contains("default-src 'none'") && !reply.csp.contains("script-src"), reply.csp);
        }
        Reply css = get("/assets/gitops.css");
        assertEquals(200, css.status);
        assertTrue(css.body.contains(".diagram"));
    }

    @Test
    void aReleaseWithoutTheConsolesOriginOrItsCsrfTokenIsRefusedAndAnUnknownLockIsSaidToBeFree() throws Exception {
        Repo repo = repo();
        String execution = repo.change("add web");
        awaitApproval(execution); // a lock is held, so the page has a release form
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(origin() + "/ui/locks"))
                .build(), HttpResponse.BodyHandlers.ofString());
        sfn.stopExecution(b -> b.executionArn(execution));
        String cookie = page.headers().firstValue("Set-Cookie").orElse("").split(";")[0];
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        String token = csrf.find() ? csrf.group(1) : "";
        String fields = "id=acme%2Fnothing%2Finfra%2Fapp%2Ftst&token=" + URLEncoder.encode(ADMIN, StandardCharsets.UTF_8);
        assertEquals(403, post(cookie, fields + "&csrf=" + token, null).status, "no Origin");
        assertEquals(403, post(cookie, fields + "&csrf=" + token, "https://evil.example").status, "another Origin");
        Reply forged = post(cookie, fields + "&csrf=forged", origin());
        assertEquals(403, forged.status);
        assertTrue(forged.body.contains("security token is missing or wrong"), forged.body);
        Reply free = post(cookie, fields + "&csrf=" + token, origin());
        assertEquals(404, free.status);
        assertTrue(free.body.contains("Nobody holds lock acme/nothing/infra/app/tst"), free.body);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    record Reply(int status, String body, String csp) {
    }

    final class Repo {
        final String name;
        final GitFixture git;

        Repo(String name) {
            this.name = name;
            this.git = GitFixture.create(root, name);
            git.write("infra/app/backend_configs/tst.config", "path = \"" + states.resolve(name.replace('/', '-') + "-tst.json") + "\"\n");
            git.write("infra/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\n");
            git.commit("base");
            git.pushBranch("main").pushBranch("develop");
        }

        /** Pushes a change to develop; the execution it started. */
        String change(String message) {
            String before = git.remoteHead("develop");
            git.write("infra/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\nresource \"null_resource\" \"web\" {\n}\n");
            String sha = git.commit(message);
            git.pushBranch("develop");
            var payload = Payloads.push(name, "refs/heads/develop", before, sha);
            ((com.fasterxml.jackson.databind.node.ObjectNode) payload.get("head_commit")).put("message", message);
            WebhookClient.Reply reply = new WebhookClient(server.getURI(), SECRET).json("push", WebhookClient.newDelivery(), payload);
            assertEquals(202, reply.status(), reply.body().toString());
            return reply.body().path("executions").get(0).path("executionArn").asText();
        }
    }

    Repo repo() {
        return new Repo("acme/console-" + REPOS.incrementAndGet());
    }

    /** Waits until the execution waits for approval; the approval's id. */
    String awaitApproval(String execution) {
        Await.until(() -> !store.ofExecution(execution).isEmpty(), "an approval for " + execution);
        return store.ofExecution(execution).get(0).id();
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(origin() + path)).GET().build());
    }

    Reply post(String cookie, String body, String origin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin() + "/ui/locks/release"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return send(b.build());
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Security-Policy").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
