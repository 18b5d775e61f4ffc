package dev.gitops.pipeline;

import dev.gitops.TestPorts;
import dev.gitops.changes.GitFixture;
import dev.gitops.local.LocalDynamoDb;
import dev.gitops.lock.Lock;
import dev.gitops.lock.LockStore;
import dev.gitops.runner.TerraformDouble;
import dev.gitops.webhook.Payloads;
import dev.gitops.webhook.WebhookClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The pipeline's benchmark (README: {@code mvn -q test-compile exec:java@pipeline-benchmark}). Prints, in one run:
 * <ol>
 *   <li>lock acquire and release latency with 50 concurrent clients, beside raw DynamoDB Local PutItem latency with
 *   the same 50 clients on the same server (each client works its own stack's lock: 50 locks, 50-way concurrency);</li>
 *   <li>one lock contended by 50 clients: hand-offs per second, and the latency of an acquire attempt;</li>
 *   <li>the controller's own time from a signed webhook to the Plan step starting, warm (local mode, real git
 *   repository, embedded engine, DynamoDB Local).</li>
 * </ol>
 */
public final class PipelineBenchmark {
    private static final int CLIENTS = 50;
    private static final int OPS_PER_CLIENT = 40;

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        Path dir = Files.createTempDirectory("pipeline-benchmark");
        List<String> lines = new ArrayList<>();
        try (LocalDynamoDb dynamo = LocalDynamoDb.server(TestPorts.free(), dir.resolve("dynamodb"))) {
            DynamoDbClient client = DynamoDbClient.builder().endpointOverride(dynamo.endpoint().orElseThrow()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("b", "b")))
                    .httpClient(UrlConnectionHttpClient.builder().build()).build();
            lines.addAll(locks(client));
        }
        lines.add(webhookToPlan(dir));
        System.out.println();
        System.out.println("| measure | result |");
        System.out.println("|---|---|");
        lines.forEach(System.out::println);
        System.exit(0);
    }

    private static String table(DynamoDbClient client, String name, String key) {
        client.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName(key).attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName(key).keyType(KeyType.HASH)));
        return name;
    }

    private static List<String> locks(DynamoDbClient client) throws Exception {
        String raw = table(client, "raw", "id");
        LockStore store = new LockStore(client, table(client, "locks", "lockId"), Clock.systemUTC());
        // warm-up of both paths
        measure(CLIENTS, 20, (c, i) -> client.putItem(b -> b.tableName(raw).item(Map.of("id", AttributeValue.fromS("w" + c)))));
        measure(CLIENTS, 20, (c, i) -> {
            store.acquire(claim("warm-" + c, "e" + c));
            store.release("warm-" + c, execution("e" + c));
        });
        long[][] put = new long[1][];
        long[][] acquire = new long[1][];
        long[][] release = new long[1][];
        for (int round = 0; round < 3; round++) {
            // interleave the measured paths so that drift in the machine's state affects both alike
            put[0] = concat(put[0], measure(CLIENTS, OPS_PER_CLIENT, (c, i) -> client.putItem(b -> b.tableName(raw)
                    .item(Map.of("id", AttributeValue.fromS("k" + c), "holder", AttributeValue.fromS("e" + i),
                            "expiresAt", AttributeValue.fromN("1"))))));
            long[] acquired = new long[CLIENTS * OPS_PER_CLIENT];
            long[] released = new long[CLIENTS * OPS_PER_CLIENT];
            measure(CLIENTS, OPS_PER_CLIENT, (c, i) -> {
                long t = System.nanoTime();
                if (!store.acquire(claim("stack-" + c, "e" + c)).acquired()) {
                    throw new IllegalStateException("own lock refused");
                }
                long a = System.nanoTime();
                store.release("stack-" + c, execution("e" + c));
                acquired[c * OPS_PER_CLIENT + i] = a - t;
                released[c * OPS_PER_CLIENT + i] = System.nanoTime() - a;
            });
            acquire[0] = concat(acquire[0], acquired);
            release[0] = concat(release[0], released);
        }
        List<String> out = new ArrayList<>();
        double p50put = pct(put[0], 50);
        out.add(String.format(Locale.ROOT, "| raw PutItem, %d clients (DynamoDB Local on disk) | p50 %.2f ms, p99 %.2f ms |",
                CLIENTS, p50put, pct(put[0], 99)));
        out.add(String.format(Locale.ROOT, "| lock acquire (conditional UpdateItem), %d clients, own stack each | p50 %.2f ms (%.2fx raw), p99 %.2f ms (%.2fx raw) |",
                CLIENTS, pct(acquire[0], 50), pct(acquire[0], 50) / p50put, pct(acquire[0], 99), pct(acquire[0], 99) / pct(put[0], 99)));
        out.add(String.format(Locale.ROOT, "| lock release (conditional UpdateItem), %d clients | p50 %.2f ms (%.2fx raw), p99 %.2f ms (%.2fx raw) |",
                CLIENTS, pct(release[0], 50), pct(release[0], 50) / p50put, pct(release[0], 99), pct(release[0], 99) / pct(put[0], 99)));

        // one lock, 50 contenders
        AtomicInteger handoffs = new AtomicInteger();
        long[] attempts = new long[CLIENTS * 400];
        AtomicInteger attempt = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(10).toNanos();
        measure(CLIENTS, 1, (c, i) -> {
            while (System.nanoTime() < deadline) {
                long t = System.nanoTime();
                boolean got = store.acquire(claim("hot", "h" + c)).acquired();
                int n = attempt.getAndIncrement();
                if (n < attempts.length) {
                    attempts[n] = System.nanoTime() - t;
                }
                if (got) {
                    store.release("hot", execution("h" + c));
                    handoffs.incrementAndGet();
                }
                sleep(5);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] measured = Arrays.copyOf(attempts, Math.min(attempt.get(), attempts.length));
        out.add(String.format(Locale.ROOT, "| one lock, %d contenders polling every 5 ms, 10 s | %.0f hand-offs/s; acquire attempt p50 %.2f ms, p99 %.2f ms; never two holders (LockStoreTest) |",
                CLIENTS, handoffs.get() / seconds, pct(measured, 50), pct(measured, 99)));
        out.forEach(System.out::println);
        return out;
    }

    private static String webhookToPlan(Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("repos"));
        String secret = "benchmark";
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", Integer.toString(TestPorts.free()));
        properties.put("gitops.local.data-dir", dir.resolve("app").toString());
        properties.put("gitops.local.engine-port", Integer.toString(TestPorts.free()));
        properties.put("gitops.webhook.secret", secret);
        properties.put("gitops.git.url-template", root.toUri() + "remote/{owner}/{repo}.git");
        properties.put("gitops.runner.path", TerraformDouble.path(TerraformDouble.install(dir.resolve("bin"))));
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            SfnClient sfn = context.getBean(SfnClient.class);
            WebhookClient client = new WebhookClient(server.getURI(), secret);
            int runs = 30;
            double[] millis = new double[runs];
            for (int r = -5; r < runs; r++) {
                // one repository per run so that no lock is held by an earlier run
                GitFixture git = GitFixture.create(root, "bench/stack-" + (r + 5));
                git.write("infra/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\n");
                String base = git.commit("base");
                git.pushBranch("develop");
                git.write("infra/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\nresource \"null_resource\" \"x\" {\n}\n");
                String sha = git.commit("x");
                git.pushBranch("develop");
                Instant sent = Instant.now();
                WebhookClient.Reply reply = client.json("push", WebhookClient.newDelivery(),
                        Payloads.push("bench/stack-" + (r + 5), "refs/heads/develop", base, sha));
                String execution = reply.body().path("executions").get(0).path("executionArn").asText();
                Instant plan = null;
                while (plan == null) {
                    for (HistoryEvent e : sfn.getExecutionHistory(b -> b.executionArn(execution)).events()) {
                        if (e.stateEnteredEventDetails() != null && "Plan".equals(e.stateEnteredEventDetails().name())) {
                            plan = e.timestamp();
                        }
                    }
                    sleep(2);
                }
                if (r >= 0) {
                    millis[r] = Duration.between(sent, plan).toNanos() / 1e6;
                }
                sfn.stopExecution(b -> b.executionArn(execution));
            }
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            String line = String.format(Locale.ROOT, "| signed webhook -> Plan step entered, warm (push of one stack, local mode), %d runs | p50 %.0f ms, max %.0f ms |",
                    runs, sorted[runs / 2], sorted[runs - 1]);
            System.out.println(line);
            return line;
        }
    }

    private interface Op {
        void run(int client, int i) throws Exception;
    }

    /** Runs {@code ops} operations on each of {@code clients} threads; returns each operation's nanoseconds. */
    private static long[] measure(int clients, int ops, Op op) throws Exception {
        long[] latencies = new long[clients * ops];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            all.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < ops; i++) {
                    long t = System.nanoTime();
                    try {
                        op.run(client, i);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    latencies[client * ops + i] = System.nanoTime() - t;
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        pool.shutdown();
        return latencies;
    }

    private static LockStore.Claim claim(String lock, String execution) {
        return new LockStore.Claim(lock, execution(execution), "f".repeat(40), "main", Lock.Phase.PLAN, Duration.ofHours(1));
    }

    private static String execution(String name) {
        return "arn:aws:states:us-east-1:123456789012:execution:bench:" + name;
    }

    private static long[] concat(long[] a, long[] b) {
        if (a == null) {
            return b;
        }
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p / 100.0))] / 1e6;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
