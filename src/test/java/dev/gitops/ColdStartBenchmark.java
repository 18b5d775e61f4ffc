package dev.gitops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.webhook.Payloads;
import dev.gitops.webhook.Signatures;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start of the webhook function: from starting its JVM to the first signed webhook (a recorded HTTP API event,
 * a signed ping) answered through {@code LambdaHandler}, as Lambda runs it ({@link LambdaRuntime}: the runtime
 * interface client, a {@link LambdaRuntimeApiDouble}), median of N runs in separate JVMs; beside an empty Micronaut
 * api-proxy function (one controller answering a POST, same Micronaut and api-proxy versions, packaged the same way,
 * built here from {@code src/test/cold-start/empty-function}), and the ratio of the two.
 *
 * <p>{@code mvn -q -DskipTests package exec:java@cold-start-benchmark} (optional: {@code -Dexec.args="<runs> [zips]"}: the
 * artifact laid out otherwise, each zip timed in the same rounds, the ratio printed for the first).
 */
public final class ColdStartBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SECRET = "cold-start benchmark webhook secret";

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Path> zips = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            zips.add(Path.of(args[i]));
        }
        if (zips.isEmpty()) {
            zips.add(Path.of("target/gitops-controller-lambda.zip"));
        }
        for (Path zip : zips) {
            if (!Files.isRegularFile(zip)) {
                throw new IllegalStateException(zip + " is missing: run mvn package first");
            }
        }
        Path emptyZip = EmptyFunction.build();
        LambdaRuntime runtime = LambdaRuntime.create();
        List<Path> controllers = zips.stream().map(LambdaRuntime::extract).toList();
        Path empty = LambdaRuntime.extract(emptyZip);
        byte[] ping = signedPing();
        System.out.printf("cold start: JVM start -> first signed ping answered (HTTP API 2.0 event, through the runtime"
                + " interface client), %d runs each, alternating%n", runs);
        System.out.printf("machine: %d cores, %s %s; JVM flags: %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), String.join(" ", LambdaRuntime.JVM_FLAGS));
        System.out.printf("load average before: %s%n", loadAverage());
        List<List<Long>> controllerTimes = new ArrayList<>();
        zips.forEach(zip -> controllerTimes.add(new ArrayList<>()));
        List<Long> emptyTimes = new ArrayList<>();
        List<Long> restoredTimes = new ArrayList<>();
        Map<String, String> snapStart = new HashMap<>(controllerSettings());
        snapStart.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        for (int i = 0; i < runs; i++) {
            for (int z = 0; z < zips.size(); z++) {
                controllerTimes.get(z).add(coldStart(runtime, controllers.get(z), "dev.gitops.LambdaHandler::handleRequest", ping,
                        controllerSettings()));
            }
            emptyTimes.add(coldStart(runtime, empty, "empty.EmptyHandler::handleRequest", ping, Map.of()));
            restoredTimes.add(afterRestore(runtime, controllers.get(0), ping, snapStart));
        }
        long e = median(emptyTimes);
        System.out.printf("load average after: %s%n", loadAverage());
        for (int z = 0; z < zips.size(); z++) {
            List<Long> times = controllerTimes.get(z);
            System.out.printf("%-62s median %,6d ms  (min %,d, max %,d)  ratio %.2fx%n", "gitops controller, " + zips.get(z).getFileName()
                    + " (" + sizeMb(zips.get(z)) + ")", median(times), Collections.min(times), Collections.max(times), (double) median(times) / e);
        }
        System.out.printf("%-62s median %,6d ms  (min %,d, max %,d)%n", "empty Micronaut api-proxy function (" + sizeMb(emptyZip) + ")",
                e, Collections.min(emptyTimes), Collections.max(emptyTimes));
        System.out.printf("ratio: %.2fx%n", (double) median(controllerTimes.get(0)) / e);
        System.out.printf("with SnapStart's priming (init type snap-start): restore -> first signed ping answered, median %,d ms"
                + " (min %,d, max %,d); the restore itself is Lambda's and not measured here%n", median(restoredTimes),
                Collections.min(restoredTimes), Collections.max(restoredTimes));
        controllers.forEach(LambdaRuntime::remove);
        LambdaRuntime.remove(empty);
        runtime.close();
        System.exit(0);
    }

    /** One JVM: started, its first event answered, ended; milliseconds from start to answer. */
    static long coldStart(LambdaRuntime runtime, Path task, String handler, byte[] event, Map<String, String> settings)
            throws Exception {
        Path log = Files.createTempFile("cold-start", ".log");
        try (LambdaRuntimeApiDouble api = LambdaRuntimeApiDouble.start()) {
            var answer = api.invoke(event);
            long start = System.nanoTime();
            Process process = runtime.start(task, handler, api.address(), settings, log);
            try {
                LambdaRuntimeApiDouble.Answer got = answer.get(120, TimeUnit.SECONDS);
                if (got.error() || MAPPER.readTree(got.body()).path("statusCode").asInt() != 200) {
                    throw new IllegalStateException(handler + " answered " + got.text() + "\n" + Files.readString(log));
                }
                return TimeUnit.NANOSECONDS.toMillis(got.atNanos() - start);
            } finally {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * One JVM started as SnapStart would initialize it (the priming runs in the checkpoint hook); milliseconds from its
     * restore request to the answer of the event queued then.
     */
    static long afterRestore(LambdaRuntime runtime, Path task, byte[] event, Map<String, String> settings) throws Exception {
        Path log = Files.createTempFile("cold-start", ".log");
        try (LambdaRuntimeApiDouble api = LambdaRuntimeApiDouble.start()) {
            Process process = runtime.start(task, "dev.gitops.LambdaHandler::handleRequest", api.address(), settings, log);
            try {
                long restored = api.restoreRequested().get(120, TimeUnit.SECONDS);
                LambdaRuntimeApiDouble.Answer got = api.invoke(event).get(120, TimeUnit.SECONDS);
                if (got.error() || MAPPER.readTree(got.body()).path("statusCode").asInt() != 200) {
                    throw new IllegalStateException("the restored function answered " + got.text() + "\n" + Files.readString(log));
                }
                return TimeUnit.NANOSECONDS.toMillis(got.atNanos() - restored);
            } finally {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** What the SAM template gives the webhook function, and credentials as Lambda passes them. */
    static Map<String, String> controllerSettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        settings.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        settings.put("AWS_SESSION_TOKEN", "cold-start-benchmark-session-token");
        settings.put("GITOPS_LOCAL_ENABLED", "false");
        settings.put("GITOPS_WEBHOOK_SECRET", SECRET);
        settings.put("GITOPS_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:gitops-pipeline");
        settings.put("GITOPS_TABLES_DELIVERIES", "gitops-deliveries");
        settings.put("GITOPS_TABLES_LOCKS", "gitops-locks");
        settings.put("GITOPS_TABLES_APPROVALS", "gitops-approvals");
        settings.put("GITOPS_TABLES_DEPLOYMENTS", "gitops-deployments");
        settings.put("GITOPS_PUBLIC_URL", "https://gitops.example.com");
        settings.put("GITOPS_APPROVAL_LINK_SECRET", "cold-start benchmark link secret");
        settings.put("GITOPS_ADMIN_TOKEN", "cold-start benchmark admin token");
        settings.put("GITOPS_API_READ_TOKEN", "cold-start benchmark read token");
        settings.put("GITOPS_REPOSITORIES", "*");
        settings.put("GITOPS_GITHUB_API_URL", "https://api.github.com");
        return settings;
    }

    /** The recorded HTTP API event carrying GitHub's ping fixture, signed with the function's secret. */
    static byte[] signedPing() throws IOException {
        ObjectNode event;
        try (InputStream in = ColdStartBenchmark.class.getResourceAsStream("/apigateway/http-api-v2-webhook.json")) {
            event = (ObjectNode) MAPPER.readTree(in);
        }
        byte[] body = Payloads.fixture("ping").toString().getBytes(StandardCharsets.UTF_8);
        event.put("body", Base64.getEncoder().encodeToString(body));
        ObjectNode headers = (ObjectNode) event.get("headers");
        headers.put("x-github-event", "ping");
        headers.put("content-length", Integer.toString(body.length));
        headers.put("x-hub-signature-256", Signatures.sign(SECRET.getBytes(StandardCharsets.UTF_8), body));
        return MAPPER.writeValueAsBytes(event);
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The baseline: {@code src/test/cold-start/empty-function}, built by Maven into {@code target/cold-start/}. */
    static final class EmptyFunction {
        private EmptyFunction() {
        }

        static Path build() throws IOException, InterruptedException {
            Path dir = Path.of("target/cold-start/empty-function").toAbsolutePath();
            String maven = System.getProperty("maven.home") == null ? "mvn" : Path.of(System.getProperty("maven.home"), "bin", "mvn").toString();
            List<String> command = new ArrayList<>(List.of(maven, "-q", "-B", "-f", "src/test/cold-start/empty-function/pom.xml",
                    "package", "-Dempty.build.dir=" + dir));
            if (System.getProperty("maven.repo.local") != null) {
                command.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
            }
            System.out.println("building the empty function: " + String.join(" ", command));
            Process build = new ProcessBuilder(command).inheritIO().start();
            if (build.waitFor() != 0) {
                throw new IllegalStateException("the empty function did not build (exit " + build.exitValue() + ")");
            }
            return dir.resolve("empty-function-lambda.zip");
        }
    }

    private static String sizeMb(Path zip) throws IOException {
        return String.format(Locale.ROOT, "%.1f MB zip", Files.size(zip) / 1_000_000.0);
    }
}
