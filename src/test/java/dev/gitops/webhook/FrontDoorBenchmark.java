package dev.gitops.webhook;

import dev.gitops.TestPorts;
import dev.gitops.changes.ChangeDetector;
import dev.gitops.changes.ChangeRequest;
import dev.gitops.changes.Detection;
import dev.gitops.changes.GitMirror;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jgit.lib.ObjectId;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The front door's benchmark (README: {@code mvn -q test-compile exec:java@front-door-benchmark}). On a generated
 * repository of 10,000 files, 5,000 commits, 200 stacks and 50 modules it prints, side by side:
 * <ol>
 *   <li>a warm incremental fetch + diff + stack mapping (JGit, this controller) against {@code git fetch} +
 *   {@code git diff --name-only} (the CLI) on the same remote;</li>
 *   <li>a first fetch against {@code git clone --bare --no-local};</li>
 *   <li>signed pushes whose commits are already cached, through HTTP, change detection, DynamoDB Local and the
 *   engine: pushes per second and latency percentiles.</li>
 * </ol>
 * Arguments (optional): pushes (3000), concurrent clients (8), and one phase to run alone: first, incremental, pushes.
 */
public final class FrontDoorBenchmark {
    private static final int FILES = 10_000;
    private static final int COMMITS = 5_000;
    private static final int STACKS = 200;
    private static final int MODULES = 50;
    private static final int STEPS = Integer.getInteger("steps", 20);
    private static final String REPO = "bench/infra";

    private FrontDoorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pushes = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path dir = Files.createTempDirectory("front-door-benchmark");
        Path remote = dir.resolve("remote/" + REPO + ".git");
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), run(dir, "git", "--version").trim());
        long t = System.nanoTime();
        List<String> commits = generate(remote);
        System.out.printf(Locale.ROOT, "generated %s: %,d files, %,d commits, %d stacks, %d modules in %.1f s%n", remote,
                FILES, COMMITS, STACKS, MODULES, (System.nanoTime() - t) / 1e9);

        String only = args.length > 2 ? args[2] : "all";
        String firstFetch = only.equals("all") || only.equals("first") ? firstFetch(dir, remote, commits) : "";
        String incremental = only.equals("all") || only.equals("incremental") ? incremental(dir, remote, commits) : "";
        String pushesLine = only.equals("all") || only.equals("pushes") ? pushes(dir, remote, commits, pushes, clients) : "";

        System.out.println();
        System.out.println("| measure | this controller (JGit) | git CLI |");
        System.out.println("|---|---|---|");
        System.out.println(incremental);
        System.out.println(firstFetch);
        System.out.println(pushesLine);
        System.exit(0);
    }

    // ------------------------------------------------------------------------------------------------ (b) first fetch

    private static String firstFetch(Path dir, Path remote, List<String> commits) throws Exception {
        setMain(remote, commits.get(commits.size() - 1));
        String url = remote.toUri().toString();
        double[] jgit = new double[3];
        double[] cli = new double[3];
        for (int i = 0; i < 3; i++) {
            try (GitMirror mirror = new GitMirror(dir.resolve("first-jgit-" + i), null)) {
                long t = System.nanoTime();
                mirror.fetch(REPO, url, List.of("refs/heads/main"), List.of(ObjectId.fromString(commits.get(commits.size() - 1))));
                jgit[i] = (System.nanoTime() - t) / 1e6;
            }
            long t = System.nanoTime();
            run(dir, "git", "clone", "--quiet", "--bare", "--no-local", url, dir.resolve("first-cli-" + i).toString());
            cli[i] = (System.nanoTime() - t) / 1e6;
        }
        double j = median(jgit);
        double c = median(cli);
        System.out.printf(Locale.ROOT, "first fetch: JGit %s ms, git clone --bare --no-local %s ms%n", Arrays.toString(jgit), Arrays.toString(cli));
        return String.format(Locale.ROOT, "| first fetch of the whole repository (median of 3) | %,.0f ms (%.2fx the CLI) | %,.0f ms (`git clone --bare --no-local`) |",
                j, j / c, c);
    }

    // ------------------------------------------------------------------------------------------------ (a) incremental

    private static String incremental(Path dir, Path remote, List<String> commits) throws Exception {
        String url = remote.toUri().toString();
        int start = commits.size() - STEPS - 1;
        setMain(remote, commits.get(start));
        Path cliMirror = dir.resolve("cli-mirror.git");
        run(dir, "git", "clone", "--quiet", "--bare", "--no-local", url, cliMirror.toString());
        double[] jgit = new double[STEPS];
        double[] cli = new double[STEPS];
        int stacksFound = 0;
        try (GitMirror mirror = new GitMirror(dir.resolve("warm-jgit"), null)) {
            ChangeDetector detector = new ChangeDetector(mirror, dev.gitops.changes.TestEnvironments.DEFAULTS);
            detector.detect(new ChangeRequest(REPO, url, "refs/heads/main", commits.get(start - 1), commits.get(start), null, false, "prd"));
            for (int i = 0; i < STEPS; i++) {
                String before = commits.get(start + i);
                String after = commits.get(start + i + 1);
                setMain(remote, after);
                long t = System.nanoTime();
                Detection detection = detector.detect(new ChangeRequest(REPO, url, "refs/heads/main", before, after, null, false, "prd"));
                jgit[i] = (System.nanoTime() - t) / 1e6;
                stacksFound += detection instanceof Detection.Stacks found ? found.stacks().size() : 0;
                t = System.nanoTime();
                run(cliMirror, "git", "fetch", "--quiet", "origin", "+refs/heads/main:refs/heads/main");
                run(cliMirror, "git", "diff", "--name-only", before, after);
                cli[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        double j = median(jgit);
        double c = median(cli);
        System.out.printf(Locale.ROOT, "incremental: %d pushes, %d stacks found; JGit p50 %.1f ms max %.1f ms; CLI p50 %.1f ms max %.1f ms%n",
                STEPS, stacksFound, j, max(jgit), c, max(cli));
        return String.format(Locale.ROOT, "| warm incremental fetch + diff (+ stack mapping for JGit), one new commit, median of %d | %.1f ms | %.1f ms (`git fetch` + `git diff --name-only`) |",
                STEPS, j, c);
    }

    // ------------------------------------------------------------------------------------------------ (c) pushes

    private static String pushes(Path dir, Path remote, List<String> commits, int count, int clients) throws Exception {
        String secret = "benchmark secret";
        setMain(remote, commits.get(commits.size() - 1));
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "micronaut.server.port", Integer.toString(TestPorts.free()),
                "gitops.local.data-dir", dir.resolve("app").toString(),
                "gitops.local.engine-port", Integer.toString(TestPorts.free()),
                "gitops.webhook.secret", secret,
                // what is measured is webhook -> StartExecution: the executions themselves do nothing here
                "gitops.local.definition", "bench/front-door.asl.json",
                "gitops.git.url-template", dir.toUri() + "remote/{owner}/{repo}.git"))) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            WebhookClient client = new WebhookClient(server.getURI(), secret);
            // Warm-up: every candidate push once (its commits are then cached); sort them by how many stacks they start.
            List<ObjectNode> oneStack = new ArrayList<>();
            List<ObjectNode> mixed = new ArrayList<>();
            for (int i = commits.size() - 400; i < commits.size(); i++) {
                ObjectNode payload = Payloads.push(REPO, "refs/heads/main", commits.get(i - 1), commits.get(i));
                WebhookClient.Reply reply = client.json("push", WebhookClient.newDelivery(), payload);
                expect202(reply);
                if (reply.body().path("executions").size() == 1 && oneStack.size() < 50) {
                    oneStack.add(payload);
                }
                if (i >= commits.size() - 50) {
                    mixed.add(payload);
                }
            }
            run(client, mixed, Math.min(1000, count), clients, new long[Math.min(1000, count)], new AtomicInteger());
            StringBuilder lines = new StringBuilder();
            for (Map.Entry<String, List<ObjectNode>> workload : List.of(
                    Map.entry("pushes that change one stack", oneStack),
                    Map.entry("the history's last 50 pushes (0 to many stacks each)", mixed))) {
                long[] latencies = new long[count];
                AtomicInteger started = new AtomicInteger();
                double seconds = run(client, workload.getValue(), count, clients, latencies, started);
                Arrays.sort(latencies);
                double p50 = latencies[count / 2] / 1e6;
                double p99 = latencies[(int) (count * 0.99)] / 1e6;
                System.out.printf(Locale.ROOT, "pushes (%s): %,d in %.2f s with %d clients, %,d executions started; p50 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms%n", workload.getKey(), count, seconds, clients, started.get(), p50, p99,
                        latencies[count - 1] / 1e6);
                lines.append(String.format(Locale.ROOT, "| signed pushes with cached commits, end to end (HTTP, DynamoDB Local on disk, engine), %d clients: %s | %,.0f pushes/s (%,.0f executions/s), p50 %.1f ms, p99 %.1f ms | — |%n",
                        clients, workload.getKey(), count / seconds, started.get() / seconds, p50, p99));
            }
            return lines.toString().stripTrailing();
        }
    }

    private static double run(WebhookClient client, List<ObjectNode> payloads, int count,
                              int clients, long[] latencies, AtomicInteger started) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        long t = System.nanoTime();
        List<byte[]> bodies = payloads.stream().map(p -> p.toString().getBytes(StandardCharsets.UTF_8)).toList();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(CompletableFuture.runAsync(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    long s = System.nanoTime();
                    WebhookClient.Reply reply = client.json("push", WebhookClient.newDelivery(), bodies.get(i % bodies.size()));
                    latencies[i] = System.nanoTime() - s;
                    expect202(reply);
                    started.addAndGet(reply.body().path("executions").size());
                }
            }, pool));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - t) / 1e9;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return seconds;
    }

    private static void expect202(WebhookClient.Reply reply) {
        if (reply.status() != 202 || reply.body().has("accepted")) {
            throw new IllegalStateException("unexpected answer " + reply.status() + " " + reply.body());
        }
    }

    // ------------------------------------------------------------------------------------------------ the repository

    /** Writes the repository with git fast-import; returns the commits, oldest first. */
    static List<String> generate(Path remote) throws Exception {
        Files.createDirectories(remote);
        run(remote, "git", "init", "--quiet", "--bare", "--initial-branch=main", ".");
        Process importer = new ProcessBuilder("git", "fast-import", "--quiet", "--export-marks=" + remote.resolve("marks"))
                .directory(remote.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Random random = new Random(7);
        List<String> stackFiles = new ArrayList<>();
        List<String> moduleFiles = new ArrayList<>();
        List<String> otherFiles = new ArrayList<>();
        try (OutputStream out = new BufferedOutputStream(importer.getOutputStream(), 1 << 16)) {
            StringBuilder first = new StringBuilder();
            int files = 0;
            for (int m = 0; m < MODULES; m++) {
                String calls = m % 5 == 0 ? "" : "module \"inner\" {\n  source = \"../mod-" + (m - 1) + "\"\n}\n";
                for (String f : List.of("main.tf", "variables.tf", "outputs.tf")) {
                    String path = "modules/mod-" + m + "/" + f;
                    moduleFiles.add(path);
                    inline(first, path, f.equals("main.tf") ? calls + "resource \"null_resource\" \"m" + m + "\" {}\n" : "# " + f + "\n");
                    files++;
                }
            }
            for (int s = 0; s < STACKS; s++) {
                String base = "stacks/team-" + (s % 20) + "/stack-" + s;
                String main = "terraform {\n  backend \"s3\" {}\n}\nmodule \"a\" {\n  source = \"../../../modules/mod-" + (s % MODULES)
                        + "\"\n}\nmodule \"b\" {\n  source = \"../../../modules/mod-" + ((s * 7) % MODULES) + "\"\n}\n";
                inline(first, base + "/main.tf", main);
                stackFiles.add(base + "/main.tf");
                for (String f : List.of("variables.tf", "outputs.tf", "backend_configs/dev.config", "backend_configs/tst.config",
                        "backend_configs/prd.config", "env_specific_vars/dev.tfvars", "env_specific_vars/tst.tfvars",
                        "env_specific_vars/prd.tfvars")) {
                    inline(first, base + "/" + f, "# " + f + " of stack " + s + "\n");
                    stackFiles.add(base + "/" + f);
                }
                files += 9;
            }
            for (int i = 0; files < FILES; i++, files++) {
                String path = "docs/section-" + (i % 100) + "/page-" + i + ".md";
                otherFiles.add(path);
                inline(first, path, "# page " + i + "\n");
            }
            commit(out, 1, "generated layout", first);
            for (int c = 2; c <= COMMITS; c++) {
                StringBuilder changes = new StringBuilder();
                int n = 1 + random.nextInt(3);
                for (int k = 0; k < n; k++) {
                    int pick = random.nextInt(100);
                    List<String> pool = pick < 70 ? otherFiles : pick < 90 ? stackFiles : moduleFiles;
                    String path = pool.get(random.nextInt(pool.size()));
                    inline(changes, path, (path.endsWith("main.tf") && pool != otherFiles ? mainFor(path) : "") + "# revision " + c + "\n");
                }
                commit(out, c, "change " + c, changes);
            }
        }
        if (importer.waitFor() != 0) {
            throw new IllegalStateException("git fast-import failed");
        }
        String[] marks = new String[COMMITS + 1];
        for (String line : Files.readAllLines(remote.resolve("marks"))) {
            String[] parts = line.split(" ");
            marks[Integer.parseInt(parts[0].substring(1))] = parts[1];
        }
        return List.of(Arrays.copyOfRange(marks, 1, COMMITS + 1));
    }

    private static String mainFor(String path) {
        if (path.startsWith("stacks/")) {
            int s = Integer.parseInt(path.replaceAll(".*stack-(\\d+)/main.tf", "$1"));
            return "terraform {\n  backend \"s3\" {}\n}\nmodule \"a\" {\n  source = \"../../../modules/mod-" + (s % MODULES) + "\"\n}\n";
        }
        int m = Integer.parseInt(path.replaceAll(".*mod-(\\d+)/main.tf", "$1"));
        return m % 5 == 0 ? "" : "module \"inner\" {\n  source = \"../mod-" + (m - 1) + "\"\n}\n";
    }

    private static void inline(StringBuilder out, String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        out.append("M 100644 inline ").append(path).append('\n').append("data ").append(bytes.length).append('\n')
                .append(content).append('\n');
    }

    private static void commit(OutputStream out, int mark, String message, StringBuilder changes) throws IOException {
        StringBuilder c = new StringBuilder();
        c.append("commit refs/heads/main\nmark :").append(mark).append('\n')
                .append("committer Bench <bench@example.com> ").append(1_700_000_000L + mark * 60L).append(" +0000\n")
                .append("data ").append(message.length()).append('\n').append(message).append('\n');
        if (mark > 1) {
            c.append("from :").append(mark - 1).append('\n');
        }
        c.append(changes).append('\n');
        out.write(c.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void setMain(Path remote, String sha) throws Exception {
        run(remote, "git", "update-ref", "refs/heads/main", sha);
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }
}
