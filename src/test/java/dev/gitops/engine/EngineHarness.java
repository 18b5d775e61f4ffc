package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.api.AwsJsonServer;
import dev.gitops.engine.api.SfnOperations;
import dev.gitops.engine.api.SigV4;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.tasks.LambdaTaskHandler;
import dev.gitops.engine.tasks.LocalFunction;
import dev.gitops.engine.tasks.TaskHandler;
import dev.gitops.engine.tasks.TaskHandlers;
import dev.gitops.engine.threads.DaemonThreads;
import dev.gitops.engine.time.EngineTime;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * An engine for tests: real persistence in a temporary directory, the real AWS-protocol endpoint on a free loopback
 * port, and an AWS SDK SfnClient pointed at it. Time is a {@link ManualTime} unless the test asks for wall-clock time.
 */
public final class EngineHarness implements AutoCloseable {
    public static final String ROLE = "arn:aws:iam::123456789012:role/engine-test";

    public final Path dataDir;
    public final ManualTime time;
    public final LambdaTaskHandler lambda;
    public final TaskHandlers handlers;
    public final Engine engine;
    public final AwsJsonServer server;
    public final SfnClient sfn;
    private final boolean ownsDir;

    private EngineHarness(Path dataDir, boolean ownsDir, EngineTime engineTime, ManualTime manual, List<TaskHandler> extra) {
        this(dataDir, ownsDir, engineTime, manual, extra, Map.of());
    }

    private EngineHarness(Path dataDir, boolean ownsDir, EngineTime engineTime, ManualTime manual, List<TaskHandler> extra,
                          Map<String, LocalFunction> functions) {
        this.dataDir = dataDir;
        this.ownsDir = ownsDir;
        this.time = manual;
        this.lambda = new LambdaTaskHandler(Executors.newCachedThreadPool(DaemonThreads.named("test-lambda")),
                "us-east-1", "123456789012");
        functions.forEach(lambda::register);
        this.handlers = new TaskHandlers().register(lambda);
        extra.forEach(handlers::register);
        this.engine = new Engine(EngineConfig.of(dataDir), engineTime, handlers, new Random(42));
        engine.resume();
        try {
            this.server = AwsJsonServer.start(new SfnOperations(engine), "127.0.0.1", 0, signatures());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.sfn = client(server.port());
    }

    /** A fresh engine on manual time, starting at 2026-01-01T00:00:00Z. */
    public static EngineHarness manual(TaskHandler... extra) {
        ManualTime time = new ManualTime(Instant.parse("2026-01-01T00:00:00Z"));
        return new EngineHarness(tempDir(), true, time, time, List.of(extra));
    }

    /**
     * An engine on manual time over an existing data directory, which it leaves in place on close: for tests that
     * stop an engine and start another on the same data. Functions given here are registered before it resumes.
     */
    public static EngineHarness manualAt(Path dataDir, Instant now, Map<String, LocalFunction> functions) {
        ManualTime time = new ManualTime(now);
        return new EngineHarness(dataDir, false, time, time, List.of(), functions);
    }

    /** The one key the tests' endpoints accept: access key "test", secret "test", as {@link #client} signs. */
    public static SigV4 signatures() {
        return new SigV4("states", Map.of("test", "test"), java.time.Clock.systemUTC());
    }

    public static SfnClient client(int port) {
        return SfnClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("engine-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public EngineHarness function(String name, LocalFunction function) {
        lambda.register(name, function);
        return this;
    }

    /** Creates a state machine from a definition and returns its ARN. */
    public String machine(String name, String definition) {
        return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
    }

    public String start(String machineArn, String name, String input) {
        return sfn.startExecution(b -> b.stateMachineArn(machineArn).name(name).input(input)).executionArn();
    }

    /** Waits (real time) until the execution is no longer RUNNING and returns its description. */
    public DescribeExecutionResponse awaitEnd(String executionArn) {
        return awaitStatus(executionArn, null);
    }

    public DescribeExecutionResponse awaitStatus(String executionArn, ExecutionStatus wanted) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (wanted == null ? d.status() != ExecutionStatus.RUNNING : d.status() == wanted) {
                return d;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("execution " + executionArn + " is still " + d.status() + "; history: "
                        + types(executionArn));
            }
            sleep(5);
        }
    }

    /** Waits until the history holds an event of this type. */
    public HistoryEvent awaitEvent(String executionArn, String type) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            for (HistoryEvent e : history(executionArn)) {
                if (e.typeAsString().equals(type)) {
                    return e;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no " + type + " in " + types(executionArn));
            }
            sleep(5);
        }
    }

    public List<HistoryEvent> history(String executionArn) {
        List<HistoryEvent> events = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn).maxResults(1000)).events().forEach(events::add);
        return events;
    }

    public List<String> types(String executionArn) {
        return history(executionArn).stream().map(HistoryEvent::typeAsString).toList();
    }

    /** The history events of one type, in order. */
    public List<HistoryEvent> events(String executionArn, String type) {
        return history(executionArn).stream().filter(e -> e.typeAsString().equals(type)).toList();
    }

    public HistoryEvent lastEvent(String executionArn) {
        List<HistoryEvent> history = history(executionArn);
        return history.get(history.size() - 1);
    }

    public DescribeExecutionResponse describe(String executionArn) {
        return sfn.describeExecution(b -> b.executionArn(executionArn));
    }

    public static JsonNode json(String text) {
        return Json.parseTrusted(text);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        sfn.close();
        server.close();
        engine.close();
        if (ownsDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
