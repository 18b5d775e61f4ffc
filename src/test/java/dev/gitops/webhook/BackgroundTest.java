package dev.gitops.webhook;

import dev.gitops.TestPorts;
import dev.gitops.changes.GitFixture;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Change detection that outlasts gitops.webhook.sync-budget: answered accepted, finished and recorded afterwards. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackgroundTest implements TestPropertyProvider {
    private final Path root = temp();

    @Inject
    EmbeddedServer server;

    @Inject
    DeliveryStore deliveries;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("gitops.local.data-dir", temp().toString(),
                "gitops.local.engine-port", Integer.toString(TestPorts.free()),
                "gitops.webhook.secret", "s",
                "gitops.webhook.sync-budget", "1ms",
                "gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git");
    }

    @Test
    void workThatOutlastsTheSyncBudgetIsAcceptedAndFinishesInTheBackground() throws Exception {
        GitFixture git = GitFixture.create(root, "acme/slow");
        String before = git.sampleInfrastructure();
        git.write("infra/dns/records.tf", "# more\n");
        String after = git.commit("change");
        git.pushBranch("main");
        String delivery = WebhookClient.newDelivery();

        WebhookClient.Reply reply = new WebhookClient(server.getURI(), "s").json("push", delivery,
                Payloads.push("acme/slow", "refs/heads/main", before, after));

        assertEquals(202, reply.status());
        assertEquals(delivery, reply.body().path("delivery").asText());
        assertTrue(reply.body().path("accepted").asBoolean(), reply.body().toString());
        long deadline = System.currentTimeMillis() + 30_000;
        Optional<com.fasterxml.jackson.databind.JsonNode> recorded;
        while ((recorded = deliveries.answer(delivery)).isEmpty()) {
            assertTrue(System.currentTimeMillis() < deadline, "the background work never finished");
            Thread.sleep(50);
        }
        assertEquals("infra/dns", recorded.get().path("stacks").get(0).path("name").asText());
        assertEquals(1, recorded.get().path("executions").size());
    }

    private static Path temp() {
        try {
            return Files.createTempDirectory("background");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
