package dev.gitops.aws;

import dev.gitops.TestPorts;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

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
    private static Moto shared;

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

    /**
     * One server for the whole test run (stopped when the JVM ends), with bucket {@code gitops-plans} made: the source
     * archives of Lambda-mode tests go to {@code s3://gitops-plans/sources}. Skips the caller when moto is missing.
     */
    public static synchronized Moto shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = start(TestPorts.free());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
            try (S3Client s3 = shared.s3()) {
                s3.createBucket(b -> b.bucket("gitops-plans"));
            }
        }
        return shared;
    }

    /** An S3 client of this server (path-style, test credentials). */
    public S3Client s3() {
        return S3Client.builder().endpointOverride(URI.create(endpoint()))
                .forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
