package dev.gitops.engine;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The engine benchmark (README: {@code mvn -q test-compile exec:java@benchmark}). Each figure is measured on an engine
 * in its own JVM, driven through the AWS SDK over its HTTP endpoint, with persistence on:
 * <ol>
 *   <li>heap (after a full GC) and RSS with 1,000 executions parked on a task token, the engine JVM capped at 256 MB;</li>
 *   <li>state transitions per second on a 50-state Pass chain;</li>
 *   <li>the same chain on aws-local-stepfunctions ({@code npx local-sfn}, in memory), for comparison: ten times as
 *   many executions, so that node's start-up (measured apart and subtracted) does not dominate.</li>
 * </ol>
 * Arguments (optional): parked executions (1000), chain executions (1000).
 */
public final class EngineBenchmark {
    private static final int CLIENT_THREADS = 8;

    private EngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int parked = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int chains = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path dir = Files.createTempDirectory("engine-benchmark");
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), System.getProperty("os.name"));

        String memory = parkedExecutions(dir, parked);
        String ours = chain(dir, chains);
        String theirs = localSfn(dir, 10 * chains);

        System.out.println();
        System.out.println("| measure | result |");
        System.out.println("|---|---|");
        System.out.println(memory);
        System.out.println(ours);
        System.out.println(theirs);
        System.exit(0);
    }

    private static String parkedExecutions(Path dir, int count) throws Exception {
        String definition = """
                {"StartAt":"WaitForApproval","States":{"WaitForApproval":{"Type":"Task",
                  "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token","stack.$":"$.stack"}},
                  "End":true}}}""";
        Path invocations = dir.resolve("parked-invocations.txt");
        try (ChildEngine engine = ChildEngine.start(dir.resolve("parked"), invocations, "-Xmx256m");
             SfnClient sfn = EngineHarness.client(engine.port)) {
            String machine = sfn.createStateMachine(b -> b.name("park").definition(definition).roleArn(EngineHarness.ROLE))
                    .stateMachineArn();
            String idle = engine.stats();
            long started = System.nanoTime();
            parallel(count, i -> sfn.startExecution(b -> b.stateMachineArn(machine).name("parked-" + i)
                    .input("{\"stack\":\"infra/stack-" + i + "\",\"environment\":\"prd\",\"sha\":\"" + "a".repeat(40) + "\"}")));
            while (!Files.exists(invocations) || Files.readAllLines(invocations).size() < count) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String stats = engine.stats();
            System.out.printf(Locale.ROOT, "parked %d executions on a task token in %.2f s; engine idle: %s; parked: %s%n",
                    count, seconds, idle, stats);
            return String.format(Locale.ROOT, "| %,d executions parked on a task token (engine JVM -Xmx256m) | heap %s MB after GC, RSS %s MB |",
                    count, mb(stats, "heapUsed"), mb(stats, "rss"));
        }
    }

    private static String chain(Path dir, int count) throws Exception {
        String definition = chainDefinition();
        try (ChildEngine engine = ChildEngine.start(dir.resolve("chain"), dir.resolve("chain-invocations.txt"));
             SfnClient sfn = EngineHarness.client(engine.port)) {
            String machine = sfn.createStateMachine(b -> b.name("chain50").definition(definition).roleArn(EngineHarness.ROLE))
                    .stateMachineArn();
            run(sfn, machine, "warmup", Math.max(50, count / 10));
            double seconds = run(sfn, machine, "run", count);
            long transitions = 50L * count;
            System.out.printf(Locale.ROOT, "chain: %d executions x 50 Pass states in %.2f s%n", count, seconds);
            return String.format(Locale.ROOT, "| 50-state Pass chain, %,d executions, persisted, via the AWS SDK (this engine) | %,.0f state transitions/s |",
                    count, transitions / seconds);
        }
    }

    private static double run(SfnClient sfn, String machine, String prefix, int count) throws Exception {
        long started = System.nanoTime();
        parallel(count, i -> sfn.startExecution(b -> b.stateMachineArn(machine).name(prefix + "-" + i).input("{\"n\":" + i + "}")));
        while (!sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.RUNNING).maxResults(1))
                .executions().isEmpty()) {
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long failed = sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.FAILED).maxResults(1))
                .executions().size();
        if (failed > 0) {
            throw new IllegalStateException("chain executions failed");
        }
        return seconds;
    }

    private static String localSfn(Path dir, int count) throws Exception {
        Path definition = dir.resolve("chain50.asl.json");
        Files.writeString(definition, chainDefinition());
        Path one = dir.resolve("one-input.txt");
        Path many = dir.resolve("inputs.txt");
        Files.writeString(one, "{\"n\":0}\n");
        StringBuilder inputs = new StringBuilder();
        for (int i = 0; i < count; i++) {
            inputs.append("{\"n\":").append(i).append("}\n");
        }
        Files.writeString(many, inputs);
        try {
            localSfnSeconds(definition, one);
            double startup = Math.min(localSfnSeconds(definition, one), localSfnSeconds(definition, one));
            double total = localSfnSeconds(definition, many);
            double seconds = Math.max(total - startup, 1e-3);
            System.out.printf(Locale.ROOT, "local-sfn: %d executions in %.2f s, of which %.2f s node start-up (one execution)%n",
                    count, total, startup);
            return String.format(Locale.ROOT, "| same chain on aws-local-stepfunctions (`npx local-sfn`, in memory, start-up subtracted) | %,.0f state transitions/s |",
                    50L * count / seconds);
        } catch (IOException e) {
            return "| same chain on aws-local-stepfunctions | not measured: " + e.getMessage() + " |";
        }
    }

    private static double localSfnSeconds(Path definition, Path inputs) throws Exception {
        long started = System.nanoTime();
        Process process = new ProcessBuilder("npx", "--yes", "-p", "aws-local-stepfunctions", "local-sfn", "-f", definition.toString())
                .redirectInput(inputs.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException("npx local-sfn failed (exit " + (process.isAlive() ? "timeout" : process.exitValue()) + ")");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    static String chainDefinition() {
        StringBuilder states = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            if (i > 0) {
                states.append(',');
            }
            states.append("\"S").append(i).append("\":{\"Type\":\"Pass\",")
                    .append(i < 49 ? "\"Next\":\"S" + (i + 1) + "\"" : "\"End\":true").append('}');
        }
        return "{\"StartAt\":\"S0\",\"States\":{" + states + "}}";
    }

    private interface Job {
        void run(int i) throws Exception;
    }

    private static void parallel(int count, Job job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    job.run(n);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static String mb(String stats, String key) {
        for (String part : stats.split(" ")) {
            if (part.startsWith(key + "=")) {
                return String.format(Locale.ROOT, "%.1f", Long.parseLong(part.substring(key.length() + 1)) / (1024.0 * 1024.0));
            }
        }
        return "?";
    }
}
