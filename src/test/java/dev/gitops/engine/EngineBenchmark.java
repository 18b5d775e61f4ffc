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
import java.util.function.IntFunction;

/**
 * The engine benchmark (README: {@code mvn -q test-compile exec:java@benchmark}). Each figure is measured on an engine
 * in its own JVM, driven through the AWS SDK over its HTTP endpoint, with persistence on:
 * <ol>
 *   <li>heap (after a full GC) and RSS with 1,000 executions parked on a task token, the engine JVM capped at 256 MB;</li>
 *   <li>state transitions per second on a 50-state Pass chain;</li>
 *   <li>the same chain on aws-local-stepfunctions ({@code npx local-sfn}, in memory), for comparison: ten times as
 *   many executions, so that node's start-up (measured apart and subtracted) does not dominate;</li>
 *   <li>items per second through an inline Map state of 1,000 items, each a Pass state, and the same definition with
 *   as many executions on aws-local-stepfunctions (start-up subtracted), with the ratio of the two.</li>
 * </ol>
 * Arguments (optional): parked executions (1000), chain executions (1000), Map executions (100).
 */
public final class EngineBenchmark {
    private static final int CLIENT_THREADS = 8;
    private static final int MAP_ITEMS = 1000;

    private EngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int parked = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int chains = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int maps = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path dir = Files.createTempDirectory("engine-benchmark");
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), System.getProperty("os.name"));

        String memory = parkedExecutions(dir, parked);
        String ours = chain(dir, chains);
        String theirs = localSfn(dir, 10 * chains);
        double mapOurs = map(dir, maps);
        double mapTheirs = localSfnMap(dir, maps);

        System.out.println();
        System.out.println("| measure | result |");
        System.out.println("|---|---|");
        System.out.println(memory);
        System.out.println(ours);
        System.out.println(theirs);
        System.out.printf(Locale.ROOT, "| %,d-item Map of Pass states (inline), %,d executions, persisted, via the AWS SDK"
                + " (this engine) | %,.0f items/s |%n", MAP_ITEMS, maps, mapOurs);
        System.out.println(Double.isNaN(mapTheirs)
                ? "| same Map on aws-local-stepfunctions | not measured (see above) |"
                : String.format(Locale.ROOT, "| same Map on aws-local-stepfunctions (`npx local-sfn`, %,d executions, in"
                + " memory, start-up subtracted) | %,.0f items/s (this engine: %.2fx of it) |", maps, mapTheirs,
                mapOurs / mapTheirs));
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
        return run(sfn, machine, prefix, count, i -> "{\"n\":" + i + "}");
    }

    private static double run(SfnClient sfn, String machine, String prefix, int count, IntFunction<String> input)
            throws Exception {
        long started = System.nanoTime();
        parallel(count, i -> sfn.startExecution(b -> b.stateMachineArn(machine).name(prefix + "-" + i).input(input.apply(i))));
        while (!sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.RUNNING).maxResults(1))
                .executions().isEmpty()) {
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long failed = sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.FAILED).maxResults(1))
                .executions().size();
        if (failed > 0) {
            throw new IllegalStateException(prefix + " executions failed");
        }
        return seconds;
    }

    /** Items per second through the Map definition on this engine. */
    private static double map(Path dir, int count) throws Exception {
        String definition = mapDefinition();
        String input = mapInput();
        try (ChildEngine engine = ChildEngine.start(dir.resolve("map"), dir.resolve("map-invocations.txt"));
             SfnClient sfn = EngineHarness.client(engine.port)) {
            String machine = sfn.createStateMachine(b -> b.name("map1000").definition(definition).roleArn(EngineHarness.ROLE))
                    .stateMachineArn();
            run(sfn, machine, "map-warmup", Math.max(2, count / 4), i -> input);
            double seconds = run(sfn, machine, "map-run", count, i -> input);
            System.out.printf(Locale.ROOT, "map: %d executions x %d items in %.2f s%n", count, MAP_ITEMS, seconds);
            return (double) MAP_ITEMS * count / seconds;
        }
    }

    /** Items per second through the same Map definition on aws-local-stepfunctions; NaN when it cannot run. */
    private static double localSfnMap(Path dir, int count) throws Exception {
        Path definition = dir.resolve("map1000.asl.json");
        Files.writeString(definition, mapDefinition());
        Path empty = dir.resolve("map-empty-input.txt");
        Path many = dir.resolve("map-inputs.txt");
        Files.writeString(empty, "{\"items\":[]}\n");
        Files.writeString(many, (mapInput() + "\n").repeat(count));
        try {
            localSfnSeconds(definition, empty);
            double startup = Math.min(localSfnSeconds(definition, empty), localSfnSeconds(definition, empty));
            double total = localSfnSeconds(definition, many);
            double seconds = Math.max(total - startup, 1e-3);
            System.out.printf(Locale.ROOT, "local-sfn map: %d executions x %d items in %.2f s, of which %.2f s node"
                    + " start-up (one execution of no items)%n", count, MAP_ITEMS, total, startup);
            return (double) MAP_ITEMS * count / seconds;
        } catch (IOException e) {
            System.out.println("local-sfn map: not measured: " + e.getMessage());
            return Double.NaN;
        }
    }

    /**
     * A Map over {@code $.items} of one Pass state each. The items are under a field, not the input itself, because
     * local-sfn spreads an array given as input into one execution per element.
     */
    static String mapDefinition() {
        return """
                {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","End":true,
                  "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Item","States":{"Item":{"Type":"Pass","End":true}}}}}}""";
    }

    private static String mapInput() {
        StringBuilder items = new StringBuilder("{\"items\":[");
        for (int i = 0; i < MAP_ITEMS; i++) {
            items.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append('}');
        }
        return items.append("]}").toString();
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
