package dev.gitops;

import dev.gitops.changes.GitFixture;
import dev.gitops.runner.TerraformDouble;
import dev.gitops.webhook.Payloads;
import dev.gitops.webhook.WebhookClient;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller as a user runs it (its own JVM, secrets in its environment), and a push whose plan runs a probe: what
 * repository code could try from a plan. The probe reads no secret (its own environment, the controller's, the data
 * directory), gets no data from the engine endpoint, and finds no port that answers DynamoDB; the operator's AWS CLI
 * or SDK, signing with the generated profile, works; nothing answers on the machine's other addresses.
 */
class SecurityProbeTest {
    private static final String WEBHOOK_SECRET = "probe-webhook-secret-0123456789";
    private static final String ADMIN_TOKEN = "probe-admin-token-0123456789";
    private static final String LINK_SECRET = "probe-link-secret-0123456789";

    @Test
    void aPlansProbeReachesNoSecretNoEngineDataAndNoTable() throws Exception {
        Path root = Files.createTempDirectory("probe");
        Path data = root.resolve("data");
        Path states = Await.sharedDir("probe-states");
        Path bin = TerraformDouble.install(Await.sharedDir("probe-bin"));
        Path log = root.resolve("app.log");
        int http = TestPorts.free();
        int engine = TestPorts.free();
        GitFixture git = GitFixture.create(root.resolve("repos"), "acme/probed");
        git.write("infra/app/backend_configs/tst.config", "path = \"" + states.resolve("app.json") + "\"\n")
                .write("infra/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\n");
        String before = git.commit("base");
        git.pushBranch("develop");
        git.write("infra/app/probe.tf", "# PROBE data_dir=" + data + " engine=" + engine + " secrets=" + WEBHOOK_SECRET + ","
                + ADMIN_TOKEN + "," + LINK_SECRET + "\nresource \"null_resource\" \"x\" {\n}\n");
        String after = git.commit("a probe");
        git.pushBranch("develop");

        // the JVM as `mvn mn:run` starts it: its flags include a JMX agent, whose listener local mode must close
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.dir=" + Path.of("").toAbsolutePath(), "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "-cp", TestClasspath.of(Application.class), "-XX:TieredStopAtLevel=1", "-Dcom.sun.management.jmxremote",
                Application.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(http));
        builder.environment().put("GITOPS_LOCAL_ENGINE_PORT", Integer.toString(engine));
        builder.environment().put("GITOPS_LOCAL_DATA_DIR", data.toString());
        builder.environment().put("GITOPS_WEBHOOK_SECRET", WEBHOOK_SECRET);
        builder.environment().put("GITOPS_ADMIN_TOKEN", ADMIN_TOKEN);
        builder.environment().put("GITOPS_APPROVAL_LINK_SECRET", LINK_SECRET);
        builder.environment().put("GITOPS_GIT_URL_TEMPLATE", git.urlTemplate());
        builder.environment().put("GITOPS_RUNNER_PATH", TerraformDouble.path(bin));
        Process app = builder.start();
        try {
            awaitHealth(app, http, log);
            WebhookClient.Reply reply = new WebhookClient(URI.create("http://127.0.0.1:" + http), WEBHOOK_SECRET)
                    .json("push", WebhookClient.newDelivery(), Payloads.push("acme/probed", "refs/heads/develop", before, after));
            assertEquals(202, reply.status(), reply.body().toString());

            String probe = awaitProbe(data.resolve("builds"), log);
            assertFalse(probe.contains("LEAK"), probe);
            for (String blocked : List.of("own environment holds a secret: blocked", "process environments: blocked",
                    "read " + data.resolve("webhook-secret") + ": blocked", "read " + data.resolve("aws-credentials") + ": blocked",
                    "engine endpoint (403): blocked")) {
                assertTrue(probe.contains("PROBE " + blocked), blocked + " in\n" + probe);
            }

            try (SfnClient sfn = SfnClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + engine))
                    .region(Region.US_EAST_1).credentialsProvider(ProfileCredentialsProvider.builder()
                            .profileFile(ProfileFile.builder().content(data.resolve("aws-credentials"))
                                    .type(ProfileFile.Type.CREDENTIALS).build())
                            .profileName("gitops-local").build()).build()) {
                assertEquals("gitops-pipeline", sfn.listStateMachines().stateMachines().get(0).name(),
                        "the operator's SDK signs with the generated profile");
            }
            awsCli(data, engine).ifPresent(output -> assertTrue(output.contains("gitops-pipeline"), output));

            assertEquals(List.of(), listeningBeyondLoopback(app.pid()), "sockets of the controller's process listening"
                    + " beyond loopback (local address:port)");
            for (InetAddress address : otherAddresses()) {
                for (int port : new int[]{http, engine}) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(address, port), 1000);
                        throw new AssertionError("port " + port + " answers on " + address);
                    } catch (IOException refused) {
                        // nothing of local mode listens there
                    }
                }
            }
        } finally {
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    /**
     * Every TCP socket the process listens on whose address is not loopback, from /proc (so a listener the test did not
     * think of, such as a JMX agent's, is found too).
     */
    static List<String> listeningBeyondLoopback(long pid) throws IOException {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        List<String> beyond = new java.util.ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String local = f[1];
                String address = local.substring(0, local.indexOf(':'));
                boolean loopback = address.length() == 8 ? address.endsWith("7F")
                        : address.equals("00000000000000000000000001000000")
                        || address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F");
                if (f[3].equals("0A") && inodes.contains(f[9]) && !loopback) {
                    beyond.add(table + " " + local);
                }
            }
        }
        return beyond;
    }

    private static void awaitHealth(Process app, int port, Path log) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
                assertTrue(health.body().contains("\"buildIsolation\":\"users"), "isolated by users (root): " + health.body());
                return;
            } catch (IOException notYet) {
                assertTrue(app.isAlive(), "the application died: " + Files.readString(log));
                assertTrue(System.currentTimeMillis() < deadline, "no answer on /health: " + Files.readString(log));
                Thread.sleep(200);
            }
        }
    }

    private static String awaitProbe(Path builds, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.isDirectory(builds)) {
                try (Stream<Path> files = Files.walk(builds)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().equals("build.log")).toList()) {
                        String text = Files.readString(file);
                        if (text.contains("PROBE DONE")) {
                            return text;
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the probe never ran: " + Files.readString(log));
    }

    /** {@code aws stepfunctions list-state-machines} with the generated profile, where the AWS CLI is installed. */
    private static Optional<String> awsCli(Path data, int engine) throws Exception {
        Optional<Path> aws = Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "aws")).filter(Files::isExecutable).findFirst();
        if (aws.isEmpty()) {
            return Optional.empty();
        }
        ProcessBuilder cli = new ProcessBuilder(aws.get().toString(), "stepfunctions", "list-state-machines", "--endpoint-url",
                "http://127.0.0.1:" + engine).redirectErrorStream(true);
        cli.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        cli.environment().put("AWS_SHARED_CREDENTIALS_FILE", data.resolve("aws-credentials").toString());
        cli.environment().put("AWS_CONFIG_FILE", data.resolve("no-config").toString());
        cli.environment().put("AWS_PROFILE", "gitops-local");
        cli.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        Process process = cli.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return Optional.of(output);
    }

    private static List<InetAddress> otherAddresses() throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    addresses.add(address);
                }
            }
        }
        return addresses;
    }
}
