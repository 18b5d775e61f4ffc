package dev.gitops.pipeline;

import dev.gitops.Await;
import dev.gitops.TestPorts;
import dev.gitops.changes.GitFixture;
import dev.gitops.lock.Lock;
import dev.gitops.lock.LockJanitor;
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
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lock held too long: the waiting execution gives up after gitops.lock.wait-timeout with a cause naming the holder
 * and how to release it; and the janitor's sweep frees locks whose holders no longer run.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockWaitTest implements TestPropertyProvider {
    private static final String SECRET = "lock wait secret";
    private static final String STRANGER = "arn:aws:states:us-east-1:123456789012:execution:gitops-pipeline:tst-app-1234567-abcdef12";

    private final Path root = Await.tempDir("lockwait-repos");

    @Inject
    EmbeddedServer server;
    @Inject
    SfnClient sfn;
    @Inject
    LockStore locks;
    @Inject
    LockJanitor janitor;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("gitops.local.data-dir", Await.tempDir("lockwait-data").toString(),
                "gitops.local.engine-port", Integer.toString(TestPorts.free()),
                "gitops.webhook.secret", SECRET,
                "gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git",
                "gitops.runner.path", TerraformDouble.path(TerraformDouble.install(Await.tempDir("lockwait-bin"))),
                "gitops.lock.poll-interval", "1s",
                "gitops.lock.wait-timeout", "2s",
                "gitops.public-url", "https://gitops.example.com");
    }

    @Test
    void anExecutionThatWaitedTooLongFailsNamingTheHolderAndHowToReleaseIt() {
        GitFixture git = GitFixture.create(root, "acme/waiting");
        git.write("infra/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\n");
        String base = git.commit("base");
        git.pushBranch("develop");
        String lockId = "acme/waiting/infra/app/tst";
        assertTrue(locks.acquire(new LockStore.Claim(lockId, STRANGER, "b".repeat(40), "develop", Lock.Phase.APPROVAL,
                Duration.ofHours(1))).acquired());

        git.write("infra/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\nresource \"null_resource\" \"x\" {\n}\n");
        String sha = git.commit("x");
        git.pushBranch("develop");
        WebhookClient.Reply reply = new WebhookClient(server.getURI(), SECRET).json("push", WebhookClient.newDelivery(),
                Payloads.push("acme/waiting", "refs/heads/develop", base, sha));
        String execution = reply.body().path("executions").get(0).path("executionArn").asText();
        Await.until(() -> sfn.describeExecution(b -> b.executionArn(execution)).status() != ExecutionStatus.RUNNING,
                "the waiting execution gives up");
        DescribeExecutionResponse done = sfn.describeExecution(b -> b.executionArn(execution));
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("LockHeld", done.error());
        assertTrue(done.cause().contains("held by execution tst-app-1234567-abcdef12"), done.cause());
        assertTrue(done.cause().contains("commit bbbbbbb of branch develop, approval since"), done.cause());
        assertTrue(done.cause().contains("DELETE https://gitops.example.com/api/locks/acme%2Fwaiting%2Finfra%2Fapp%2Ftst"), done.cause());
        assertTrue(done.cause().contains("stop-execution --execution-arn " + STRANGER), done.cause());
        assertEquals(STRANGER, locks.get(lockId).holder(), "a waiter never takes a held lock");
    }

    @Test
    void theSweepFreesLocksWhoseHoldersNoLongerRun() {
        String lockId = "acme/sweep/infra/app/prd";
        assertTrue(locks.acquire(new LockStore.Claim(lockId, STRANGER + "-gone", "c".repeat(40), "main", Lock.Phase.PLAN,
                Duration.ofHours(1))).acquired());
        assertTrue(janitor.sweep() >= 1);
        assertFalse(locks.get(lockId).heldAt(Instant.now()));
    }

}
