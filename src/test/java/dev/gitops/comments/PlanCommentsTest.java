package dev.gitops.comments;

import dev.gitops.Await;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Pull requests' plan comments end to end in local mode, against a stand-in of GitHub's API ({@link GithubStandIn}): one
 * comment per pull request and environment, created once and edited as stacks plan and as the pull request is pushed
 * again; every stack of concurrent executions kept; a failed plan's sentence; a huge plan cut with a link to its whole
 * text; a GitHub outage that fails nothing.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanCommentsTest implements TestPropertyProvider {
    static final String SECRET = "plan comments test secret";
    private static final AtomicInteger REPOS = new AtomicInteger();
    private static final Pattern CONSOLE_PLAN = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/ui/executions/[A-Za-z0-9_-]+/plan)");

    private final Path root = Await.tempDir("comments-repos");
    private final Path states = Await.sharedDir("comments-states");
    private final int port = TestPorts.free();
    private final GithubStandIn github = standIn();

    @Inject
    EmbeddedServer server;
    @Inject
    SfnClient sfn;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("micronaut.server.port", Integer.toString(port));
        p.put("gitops.public-url", "http://127.0.0.1:" + port);
        p.put("gitops.local.data-dir", Await.tempDir("comments-data").toString());
        p.put("gitops.local.engine-port", Integer.toString(TestPorts.free()));
        p.put("gitops.webhook.secret", SECRET);
        p.put("gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git");
        p.put("gitops.runner.path", TerraformDouble.path(TerraformDouble.install(Await.tempDir("comments-bin"))));
        p.put("gitops.github.api-url", github.url());
        p.put("gitops.github.token", "github-token-for-tests");
        p.put("gitops.notifications.retry-backoff", "20ms");
        p.put("gitops.approval.link-secret", "a link secret of enough length");
        return p;
    }

    @AfterAll
    void stop() {
        github.close();
    }

    @Test
    void aPullRequestOpenedThenSynchronizedGetsOneCommentCreatedOnceAndEditedAfterwards() {
        Repo repo = repo();
        github.comment(repo.name, 7, "LGTM, but let us see the plan");
        github.comment(repo.name, 7, "a reviewer's second comment");
        github.comment(repo.name, 7, "and a third, so that the list has pages");
        String first = repo.pullRequest(7, "opened", "infra/app/main.tf", app("web"));
        awaitComment(repo, 7, c -> c.contains(first.substring(0, 7)) && c.contains("planned, 1 to add"));
        String second = repo.pullRequest(7, "synchronize", "infra/app/main.tf", app("web") + app("api"));
        String body = awaitComment(repo, 7, c -> c.contains(second.substring(0, 7)) && c.contains("planned, 2 to add"));
        assertEquals(4, github.comments(repo.name, 7).size(), "the reviewers' three and one plan comment");
        assertEquals(1, github.count("POST", "/repos/" + repo.name + "/issues/7/comments"), "created once");
        assertTrue(github.count("PATCH", "/repos/" + repo.name + "/issues/comments/") >= 2, "edited afterwards");
        assertTrue(body.startsWith("<!-- gitops:pr-comment env=tst -->"), body);
        assertTrue(body.contains("null_resource.api") && body.contains("<details>"), body);
        assertTrue(body.contains("/ui/executions/tst-"), "links the execution's console page: " + body);
        assertEquals("LGTM, but let us see the plan", github.comments(repo.name, 7).get(0).body(), "others' comments untouched");
    }

    @Test
    void theStacksOfOnePullRequestPlannedAtOnceShareOneCommentAndNoneIsLost() {
        Repo repo = repo();
        repo.git.checkout("feature/pr-5", true);
        for (String stack : List.of("app", "db", "net")) {
            repo.git.write("infra/" + stack + "/main.tf", app(stack));
        }
        String head = repo.git.commit("three stacks");
        repo.git.pushBranch("feature/pr-5").push("refs/pull/5/head");
        List<String> executions = repo.send(5, "opened", head);
        assertEquals(3, executions.size());
        String body = awaitComment(repo, 5, c -> c.split("planned, 1 to add", -1).length == 4);
        for (String stack : List.of("infra/app", "infra/db", "infra/net")) {
            assertTrue(body.contains(PlanComment.md(stack)), stack + " in " + body);
        }
        assertEquals(1, github.comments(repo.name, 5).size());
        assertEquals(1, github.count("POST", "/repos/" + repo.name + "/issues/5/comments"));
    }

    @Test
    void aFailingPlanShowsItsErrorSentence() {
        Repo repo = repo();
        repo.pullRequest(9, "opened", "infra/app/main.tf", app("web") + "# FAIL_PLAN: Error: bucket name <taken> & gone\n");
        String body = awaitComment(repo, 9, c -> c.contains(": failed"));
        assertTrue(body.contains("plan failed in infra/app for tst"), body);
        assertTrue(body.contains("Error: bucket name &lt;taken&gt; &amp; gone"), "the sentence, escaped: " + body);
    }

    @Test
    void aHugePlanIsCutUnderGithubsLimitWithALinkToTheWholeText() throws Exception {
        Repo repo = repo();
        StringBuilder resources = new StringBuilder("terraform {\n  backend \"s3\" {}\n}\n");
        for (int i = 0; i < 1500; i++) {
            resources.append("resource \"null_resource\" \"a_rather_long_resource_name_to_make_the_plan_huge_").append(i)
                    .append("\" {\n}\n");
        }
        repo.pullRequest(11, "opened", "infra/app/main.tf", resources.toString());
        String body = awaitComment(repo, 11, c -> c.contains("planned, 1500 to add"));
        assertTrue(body.length() < 65_536, "under GitHub's limit: " + body.length());
        assertTrue(body.contains("… cut: "), body.substring(body.length() - 500));
        Matcher link = CONSOLE_PLAN.matcher(body);
        assertTrue(link.find(), "a link to the whole text");
        HttpResponse<String> whole = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, whole.statusCode(), "the whole text is still there after the execution ended");
        assertTrue(whole.body().contains("huge_1499"), "the whole plan");
    }

    @Test
    void aGithubOutageNeverFailsThePipelineAndTheNextPushCreatesTheComment() {
        Repo repo = repo();
        github.failNext.set(1000);
        String execution;
        try {
            repo.pullRequest(13, "opened", "infra/app/main.tf", app("web"));
            execution = repo.lastExecutions.get(0);
            Await.until(() -> sfn.describeExecution(b -> b.executionArn(execution)).status() != ExecutionStatus.RUNNING, "it ends");
            assertEquals(ExecutionStatus.SUCCEEDED, sfn.describeExecution(b -> b.executionArn(execution)).status());
        } finally {
            github.failNext.set(0);
        }
        assertTrue(github.comments(repo.name, 13).isEmpty());
        String second = repo.pullRequest(13, "synchronize", "infra/app/main.tf", app("web") + app("api"));
        awaitComment(repo, 13, c -> c.contains(second.substring(0, 7)) && c.contains("planned, 2 to add"));
        assertEquals(1, github.comments(repo.name, 13).size());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    final class Repo {
        final String name;
        final GitFixture git;
        final String base;
        List<String> lastExecutions = List.of();

        Repo(String name) {
            this.name = name;
            this.git = GitFixture.create(root, name);
            for (String stack : List.of("app", "db", "net")) {
                git.write("infra/" + stack + "/backend_configs/tst.config",
                        "path = \"" + states.resolve(name.replace('/', '-') + "-" + stack + "-tst.json") + "\"\n");
                git.write("infra/" + stack + "/main.tf", "terraform {\n  backend \"s3\" {}\n}\n");
            }
            this.base = git.commit("base");
            git.pushBranch("main").pushBranch("develop");
        }

        /** Commits a change on the pull request's branch, pushes it and delivers the event; the head commit. */
        String pullRequest(int number, String action, String path, String content) {
            String branch = "feature/pr-" + number;
            if (action.equals("opened")) {
                git.checkout(branch, true);
            }
            git.write(path, content);
            String head = git.commit(action + " " + number);
            git.pushBranch(branch).push("refs/pull/" + number + "/head");
            lastExecutions = send(number, action, head);
            return head;
        }

        List<String> send(int number, String action, String head) {
            WebhookClient.Reply reply = new WebhookClient(server.getURI(), SECRET).json("pull_request",
                    WebhookClient.newDelivery(), Payloads.pullRequest(name, action, number, name, "feature/pr-" + number,
                            head, "develop", base));
            assertEquals(202, reply.status(), reply.body().toString());
            List<String> arns = new ArrayList<>();
            reply.body().path("executions").forEach(e -> arns.add(e.path("executionArn").asText()));
            assertFalse(arns.isEmpty(), reply.body().toString());
            return arns;
        }
    }

    Repo repo() {
        return new Repo("acme/comments-" + REPOS.incrementAndGet());
    }

    static String app(String resource) {
        return "terraform {\n  backend \"s3\" {}\n}\nresource \"null_resource\" \"" + resource + "\" {\n}\n";
    }

    /** Waits until the pull request's plan comment satisfies {@code condition}; its body. */
    String awaitComment(Repo repo, int number, java.util.function.Predicate<String> condition) {
        Await.until(() -> github.comments(repo.name, number).stream().anyMatch(c -> c.body().contains("gitops:pr-comment")
                && condition.test(c.body())), "the plan comment of #" + number + " (now: " + github.comments(repo.name, number) + ")");
        return github.comments(repo.name, number).stream().filter(c -> c.body().contains("gitops:pr-comment")).findFirst()
                .orElseThrow().body();
    }

    private static GithubStandIn standIn() {
        try {
            return new GithubStandIn();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
