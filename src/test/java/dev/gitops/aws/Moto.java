package dev.gitops.aws;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A test double for AWS itself (there is no AWS account here): moto's server, an emulator that speaks S3's and SQS's
 * real protocols, so the SDK clients run unchanged against it. Started per test class on a free loopback port; where
 * {@code moto_server} is not installed the tests that need it are skipped, saying so ({@code pip install
 * 'moto[server]'} installs it).
 */
public final class Moto implements AutoCloseable {
    private final Process process;
    private final int port;

    private Moto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts moto's server, or skips the calling test when it is not installed. */
    public static Moto start(int port) throws IOException, InterruptedException {
        String binary = List.of(System.getProperty("user.home") + "/.pyenv/shims/moto_server", "/usr/local/bin/moto_server",
                "/usr/bin/moto_server").stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        Assumptions.assumeTrue(binary != null, "moto_server is not installed (pip install 'moto[server]'): skipping the"
                + " tests that need S3 and SQS");
        Process process = new ProcessBuilder(binary, "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Moto moto = new Moto(process, port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(moto.endpoint() + "/moto-api/").toURL().openConnection();
                if (connection.getResponseCode() == 200) {
                    return moto;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        moto.close();
        throw new IllegalStateException("moto_server did not start on port " + port);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
