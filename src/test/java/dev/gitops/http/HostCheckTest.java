package dev.gitops.http;

import dev.gitops.TestPorts;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local mode's controller answers only requests whose {@code Host} names it (loopback, or the public URL's host): a
 * page elsewhere that rebinds its own name to 127.0.0.1 (DNS rebinding) is refused before anything runs. Sent over a
 * raw socket, as a browser would send that name.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostCheckTest implements TestPropertyProvider {
    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        try {
            return Map.of("gitops.local.data-dir", Files.createTempDirectory("host-check").toString(),
                    "gitops.local.engine-port", Integer.toString(TestPorts.free()),
                    "micronaut.server.port", Integer.toString(TestPorts.free()),
                    "gitops.public-url", "https://gitops.example.com/controller");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "Host: {0} -> {1}")
    @CsvSource({
            "127.0.0.1:PORT, 200",
            "localhost:PORT, 200",
            "[::1]:PORT, 200",
            "127.1.2.3, 200",
            "gitops.example.com, 200",
            "GITOPS.EXAMPLE.COM:443, 200",
            "evil.example, 421",
            "127.0.0.1.evil.example, 421",
            "localhost.evil.example:PORT, 421",
            "'', 421"})
    void aRequestIsAnsweredOnlyWhenItsHostNamesThisController(String host, int status) throws IOException {
        String response = get("/health", host.replace("PORT", Integer.toString(server.getPort())));
        assertEquals(status, Integer.parseInt(response.substring(9, 12)), response);
        if (status == 421) {
            assertTrue(response.contains("foreign-host") && response.contains("neither this machine"), response);
        }
    }

    private String get(String path, String host) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
