package dev.gitops.webhook;

import dev.gitops.TestPorts;
import dev.gitops.changes.GitFixture;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A partial start answers 502 with the executions that did start and leaves the delivery unrecorded, so GitHub's
 * redelivery starts the rest.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartialStartTest implements TestPropertyProvider {
    static final AtomicBoolean OUTAGE = new AtomicBoolean();
    private final Path root = temp();

    @Inject
    EmbeddedServer server;

    @Inject
    DeliveryStore deliveries;

    /** A test double for a Step Functions outage: StartExecution of stack "flaky" fails while OUTAGE is set. */
    @Singleton
    @Requires(property = "test.partial-start", value = "true")
    static class Outage implements BeanCreatedEventListener<SfnClientBuilder> {
        @Override
        public SfnClientBuilder onCreated(BeanCreatedEvent<SfnClientBuilder> event) {
            return event.getBean().overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (OUTAGE.get() && context.request() instanceof StartExecutionRequest start && start.name().contains("-flaky-")) {
                        throw SfnException.builder().statusCode(503).message("Service Unavailable (test double)").build();
                    }
                }
            }));
        }
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of("test.partial-start", "true",
                "gitops.local.data-dir", temp().toString(),
                "gitops.local.engine-port", Integer.toString(TestPorts.free()),
                "gitops.webhook.secret", "s",
                "gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git");
    }

    @Test
    void aPartialStartIs502AndTheRedeliveryStartsTheRest() throws Exception {
        GitFixture git = GitFixture.create(root, "acme/partial");
        String before = git.sampleInfrastructure();
        git.write(".gitops.yml", "stacks:\n  - {name: steady, dir: infra/vpc}\n  - {name: flaky, dir: infra/dns}\n")
                .write("infra/vpc/a.tf", "# a\n").write("infra/dns/b.tf", "# b\n");
        String after = git.commit("two stacks");
        git.pushBranch("main");
        String delivery = WebhookClient.newDelivery();
        WebhookClient client = new WebhookClient(server.getURI(), "s");

        OUTAGE.set(true);
        WebhookClient.Reply partial = client.json("push", delivery, Payloads.push("acme/partial", "refs/heads/main", before, after));
        assertEquals(502, partial.status(), partial.body().toString());
        assertEquals("partial-start", partial.body().path("error").asText());
        assertEquals(1, partial.body().path("executions").size());
        String steady = partial.body().path("executions").get(0).path("executionArn").asText();
        assertTrue(steady.contains("-steady-"), steady);
        assertTrue(deliveries.answer(delivery).isEmpty(), "a partial start is not recorded");

        OUTAGE.set(false);
        WebhookClient.Reply redelivered = client.json("push", delivery, Payloads.push("acme/partial", "refs/heads/main", before, after));
        assertEquals(202, redelivered.status(), redelivered.body().toString());
        assertEquals(2, redelivered.body().path("executions").size());
        assertEquals(steady, redelivered.body().path("executions").get(0).path("executionArn").asText(),
                "the execution started the first time is the same one");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (deliveries.answer(delivery).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the delivery is recorded once every stack has started");
            Thread.sleep(20);
        }
    }

    private static Path temp() {
        try {
            return Files.createTempDirectory("partial");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
