package dev.gitops;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local application as a user runs it, in its own JVM: it starts the controller, the engine endpoint and DynamoDB
 * Local, and a termination signal (what Ctrl-C and `kill` send) stops all three and ends the JVM.
 */
class ApplicationProcessTest {
    @Test
    void aTerminationSignalStopsEverythingAndNothingKeepsTheJvmAlive() throws Exception {
        Path dataDir = Files.createTempDirectory("gitops-app");
        Path log = dataDir.resolve("app.log");
        int http = TestPorts.free();
        int engine = TestPorts.free();
        int dynamo = TestPorts.free();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", TestClasspath.of(Application.class), Application.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(http));
        builder.environment().put("GITOPS_LOCAL_ENGINE_PORT", Integer.toString(engine));
        builder.environment().put("GITOPS_LOCAL_DYNAMODB_PORT", Integer.toString(dynamo));
        builder.environment().put("GITOPS_LOCAL_DATA_DIR", dataDir.resolve("data").toString());
        // settings of an environment as environment variables: a profile for prd's plans, variables for its applies
        builder.environment().put("GITOPS_ENVIRONMENTS_PRD_RUNNER_ENV_PLAN", "prd-readonly");
        builder.environment().put("GITOPS_ENVIRONMENTS_PRD_RUNNER_ENV_APPLY", "AWS_PROFILE=prd-admin,AWS_REGION=eu-west-1");
        Process process = builder.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> health = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (health == null) {
                try {
                    health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException notYet) {
                    assertTrue(process.isAlive(), "the application died: " + Files.readString(log));
                    assertTrue(System.currentTimeMillis() < deadline, "no answer on /health: " + Files.readString(log));
                    Thread.sleep(200);
                }
            }
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"engineEndpoint\":\"http://127.0.0.1:" + engine + "\""), health.body());
            assertTrue(health.body().contains("\"prd\":{\"plan\":\"profile prd-readonly\",\"apply\":\"variables AWS_PROFILE,"
                    + " AWS_REGION\"}"), "prd's credentials, set by environment variables: " + health.body());
            assertTrue(health.body().contains("builds of dev, tst run with the operator's credentials"), health.body());
            assertTrue(Files.isDirectory(dataDir.resolve("data").resolve("engine")), "engine data in GITOPS_LOCAL_DATA_DIR");

            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the JVM is still alive after SIGTERM: " + Files.readString(log));
            assertTrue(Files.readString(log).contains("local services stopped"), Files.readString(log));
            for (int port : new int[] {http, engine, dynamo}) {
                try (ServerSocket reuse = new ServerSocket(port)) {
                    assertEquals(port, reuse.getLocalPort(), "port " + port + " is free again");
                }
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
