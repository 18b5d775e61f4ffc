package dev.gitops.http;

import dev.gitops.TestPorts;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With gitops.api.read-token set, the read API answers only its bearer (or the admin's). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadTokenTest implements TestPropertyProvider {
    @Inject
    @Client("/")
    HttpClient http;

    @Override
    public Map<String, String> getProperties() {
        try {
            return Map.of("gitops.local.data-dir", Files.createTempDirectory("read-token").toString(),
                    "gitops.local.engine-port", Integer.toString(TestPorts.free()),
                    "micronaut.server.port", Integer.toString(TestPorts.free()),
                    "gitops.api.read-token", "a read token for tests",
                    "gitops.admin-token", "an admin token for tests");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theReadApiAnswersOnlyItsBearer() {
        HttpClientResponseException none = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/locks"), String.class));
        assertEquals(401, none.getStatus().getCode());
        assertTrue(none.getResponse().getBody(String.class).orElse("").contains("gitops.api.read-token"));
        HttpClientResponseException wrong = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/executions").bearerAuth("guess"), String.class));
        assertEquals(401, wrong.getStatus().getCode());
        assertEquals(200, http.toBlocking().exchange(HttpRequest.GET("/api/locks").bearerAuth("a read token for tests"),
                String.class).code());
        assertEquals(200, http.toBlocking().exchange(HttpRequest.GET("/api/deployments").bearerAuth("an admin token for tests"),
                String.class).code(), "the admin reads too");
        assertEquals(200, http.toBlocking().exchange(HttpRequest.GET("/health"), String.class).code(), "health stays open");
    }
}
