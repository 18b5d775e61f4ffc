package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.api.AwsJsonServer;
import dev.gitops.engine.api.SfnOperations;
import dev.gitops.engine.asl.TaskResource;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.tasks.LambdaTaskHandler;
import dev.gitops.engine.tasks.TaskHandler;
import dev.gitops.engine.tasks.TaskHandlers;
import dev.gitops.engine.tasks.TaskRequest;
import dev.gitops.engine.threads.DaemonThreads;
import dev.gitops.engine.time.SystemTime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The engine alone in its own JVM, for tests that kill it and for the benchmark that measures it. Arguments: data
 * directory, port (0 = any), and a file where the function {@code park} appends one line per invocation (the task
 * token it was given); the function {@code tally} appends "tally" and its payload there and answers the payload; the
 * function {@code slow} appends "slow" there and, on its first call ever, never answers (so a test can kill the process
 * while it runs). Registers {@code arn:aws:states:::testjob:run.sync}, a job that never ends, to show what a
 * restart does to an interrupted {@code .sync} task. Prints {@code READY <port>} when it listens; on the command
 * {@code stats} on stdin it prints heap and RSS after a full GC.
 */
public final class EngineProcess {
    private EngineProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Path invocations = Path.of(args[2]);
        LambdaTaskHandler lambda = new LambdaTaskHandler(Executors.newCachedThreadPool(DaemonThreads.named("function")),
                "us-east-1", "123456789012");
        lambda.register("park", payload -> {
            String line = payload.path("token").asText("-") + "\n";
            synchronized (EngineProcess.class) {
                Files.writeString(invocations, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            return Json.object().put("parked", true);
        });
        lambda.register("tally", payload -> {
            synchronized (EngineProcess.class) {
                Files.writeString(invocations, "tally " + Json.write(payload) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            return payload;
        });
        lambda.register("slow", payload -> {
            boolean first;
            synchronized (EngineProcess.class) {
                first = !Files.exists(invocations) || Files.readAllLines(invocations).isEmpty();
                Files.writeString(invocations, "slow\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            if (first) {
                Thread.sleep(Long.MAX_VALUE);
            }
            return Json.object().put("done", true);
        });
        TaskHandlers handlers = new TaskHandlers().register(lambda).register(new NeverEndingJob());
        Engine engine = new Engine(EngineConfig.of(dataDir), new SystemTime(), handlers, new SecureRandom());
        engine.resume();
        AwsJsonServer server = AwsJsonServer.start(new SfnOperations(engine), "127.0.0.1", port, EngineHarness.signatures());
        System.out.println("READY " + server.port());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = in.readLine()) != null) {
            if ("stats".equals(command.trim())) {
                System.gc();
                System.gc();
                var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                System.out.println("STATS heapUsed=" + heap.getUsed() + " heapCommitted=" + heap.getCommitted()
                        + " heapMax=" + heap.getMax() + " rss=" + rssBytes());
                System.out.flush();
            }
        }
        Thread.currentThread().join();
    }

    private static long rssBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** A stand-in for a long build: {@code testjob:run.sync} starts and never finishes. */
    static final class NeverEndingJob implements TaskHandler {
        @Override
        public String service() {
            return "testjob";
        }

        @Override
        public String check(TaskResource resource) {
            return "run".equals(resource.action()) && resource.pattern() == TaskResource.Pattern.SYNC ? null
                    : "testjob supports only run.sync";
        }

        @Override
        public CompletableFuture<JsonNode> start(TaskRequest request) {
            return new CompletableFuture<>();
        }
    }
}
