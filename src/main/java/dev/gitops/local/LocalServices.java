package dev.gitops.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.approval.ApprovalFunction;
import dev.gitops.drift.DriftFunction;
import dev.gitops.changes.GitMirror;
import dev.gitops.engine.DefinitionSubstitutions;
import dev.gitops.engine.Engine;
import dev.gitops.engine.EngineConfig;
import dev.gitops.engine.api.AwsJsonServer;
import dev.gitops.engine.api.SfnOperations;
import dev.gitops.engine.api.SigV4;
import dev.gitops.engine.tasks.CodeBuildTaskHandler;
import dev.gitops.engine.tasks.DynamoDbTaskHandler;
import dev.gitops.engine.tasks.LambdaTaskHandler;
import dev.gitops.engine.tasks.TaskHandlers;
import dev.gitops.engine.time.SystemTime;
import dev.gitops.function.FunctionError;
import dev.gitops.function.Functions;
import dev.gitops.function.LambdaFunction;
import dev.gitops.pipeline.PipelineFunction;
import dev.gitops.routing.Routing;
import dev.gitops.runner.Isolation;
import dev.gitops.runner.LocalBuildRunner;
import dev.gitops.runner.LocalProjects;
import dev.gitops.runner.RunnerConfiguration;
import dev.gitops.runtime.LocalMode;
import dev.gitops.runtime.Threads;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Local mode: starts the embedded Step Functions engine (data under {@code <data-dir>/engine}) with its AWS-protocol endpoint, then creates or updates the
 * pipeline state machine from {@code statemachine/pipeline.asl.json} through the SfnClient, as a deployment would.
 */
@Context
@LocalMode
public class LocalServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalServices.class);
    private static final String ROLE = "arn:aws:iam::123456789012:role/gitops-local";
    /**
     * What the definition's placeholders mean locally (SAM fills the same names in AWS): the in-process functions and
     * the build projects' names. {@code gitops.local.definition-substitutions.<Name>} overrides or adds.
     */
    static final Map<String, String> DEFAULT_SUBSTITUTIONS = Map.of(
            "PipelineFunction", PipelineFunction.NAME,
            "ApprovalFunction", ApprovalFunction.NAME,
            "PlanProjectPrefix", LocalProjects.PLAN_PREFIX,
            "ApplyProjectPrefix", LocalProjects.APPLY_PREFIX,
            "DriftFunction", DriftFunction.NAME);
    /** The drift state machine local mode deploys beside the pipeline. */
    static final String DRIFT_NAME = "gitops-drift";
    static final String DRIFT_DEFINITION = "statemachine/drift.asl.json";

    private final LocalConfiguration config;
    private final LocalDynamoDb dynamoDb;
    private ExecutorService taskExecutor;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
            Threads.daemon("engine-housekeeping"));
    private SystemTime time;
    private Engine engine;
    private AwsJsonServer endpoint;
    private final String stateMachineArn;
    private final String driftStateMachineArn;
    private LocalProjects projects;
    private Isolation isolation;

    public LocalServices(LocalConfiguration config, SfnClient sfn, DynamoDbClient dynamoDbClient, LocalDynamoDb dynamoDb,
                         Functions functions,
                         GitMirror mirror, RunnerConfiguration runner, Routing routing, LocalCredentials credentials,
                         Clock clock, LocalSourceStore sources) {
        this.config = config;
        this.dynamoDb = dynamoDb;
        try {
            Path dataDir = DataDirectory.ensure(config.dataPath());
            this.taskExecutor = Executors.newCachedThreadPool(Threads.daemon("engine-task"));
            EngineConfig engineConfig = EngineConfig.of(dataDir.resolve("engine")).withRetention(config.getHistoryRetention());
            LambdaTaskHandler lambda = new LambdaTaskHandler(taskExecutor, engineConfig.region(), engineConfig.accountId());
            functions.all().forEach(function -> lambda.register(function.name(), payload -> invoke(function, payload)));
            List<LocalProjects.Builds> builds = routing.environments().stream()
                    .map(e -> new LocalProjects.Builds(e.name(), e.runnerEnv(), e.runnerUid())).toList();
            this.projects = LocalProjects.of(builds, dataDir.resolve("plans"), Map.of("TF_BINARY", runner.getTerraformBinary()));
            this.isolation = Isolation.resolve(runner.getIsolation());
            logIsolation(projects, isolation);
            LocalBuildRunner runs = new LocalBuildRunner(mirror, projects, new LocalBuildRunner.Settings(
                    dataDir.resolve("builds"), Path.of(runner.getWorkDir()).toAbsolutePath(), dataDir,
                    read(runner.getBuildspec(), "gitops.runner.buildspec"), runner.getPath(), isolation,
                    runner.getMaxConcurrentBuilds(), sources.root()), taskExecutor, clock);
            TaskHandlers handlers = new TaskHandlers()
                    .register(lambda)
                    .register(new DynamoDbTaskHandler(dynamoDbClient, taskExecutor))
                    .register(new CodeBuildTaskHandler(runs, clock, engineConfig.region(), engineConfig.accountId()));
            this.time = new SystemTime();
            this.engine = new Engine(engineConfig, time, handlers, new SecureRandom());
            engine.resume();
            try {
                this.endpoint = AwsJsonServer.start(new SfnOperations(engine), config.getHost(), config.getEnginePort(),
                        new SigV4("states", Map.of(credentials.accessKeyId(), credentials.secretAccessKey()), clock));
            } catch (IOException e) {
                throw new UncheckedIOException("the embedded engine cannot listen on " + config.getHost() + ":"
                        + config.getEnginePort() + " (set GITOPS_LOCAL_ENGINE_PORT): " + e.getMessage(), e);
            }
            LOG.info("embedded Step Functions engine listening on {} (data in \"{}\")", engineEndpoint(), engineConfig.dataDir());
            Duration retention = config.getHistoryRetention();
            housekeeping.scheduleAtFixedRate(() -> {
                int forgotten = engine.forgetClosedBefore(clock.instant().minus(retention));
                if (forgotten > 0) {
                    LOG.info("forgot {} execution(s) closed more than {} ago", forgotten, retention);
                }
            }, 1, 24, TimeUnit.HOURS);
            this.stateMachineArn = deployStateMachine(sfn, config.getStateMachineName(), config.getDefinition(),
                    "gitops.local.definition");
            this.driftStateMachineArn = deployStateMachine(sfn, DRIFT_NAME, DRIFT_DEFINITION, "the drift state machine");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static void logIsolation(LocalProjects projects, Isolation isolation) {
        projects.describeCredentials().forEach((env, actions) -> LOG.info("builds in \"{}\": plan with {}, apply with {}",
                env, actions.get("plan"), actions.get("apply")));
        String shared = projects.sharingTheOperatorsCredentials();
        if (shared != null) {
            LOG.warn("builds: {}", shared);
        }
        if (isolation.warning() != null) {
            LOG.warn("!!! {}", isolation.warning());
        } else {
            LOG.info("builds: isolation {}", isolation.describe());
        }
    }

    /**
     * A function called by the engine: its failures keep their error names, as the engine's own
     * {@link dev.gitops.engine.tasks.FunctionError} (the product's code knows nothing of the engine).
     */
    private static JsonNode invoke(LambdaFunction function, JsonNode payload) {
        try {
            return function.handle(payload);
        } catch (FunctionError e) {
            throw new dev.gitops.engine.tasks.FunctionError(e.errorType(), e.getMessage());
        }
    }

    /** Creates a state machine, or updates it when the definition changed since the last start. */
    private String deployStateMachine(SfnClient sfn, String name, String file, String setting) {
        Map<String, String> substitutions = new HashMap<>(DEFAULT_SUBSTITUTIONS);
        substitutions.putAll(config.getDefinitionSubstitutions());
        String definition = DefinitionSubstitutions.apply(read(file, setting), substitutions);
        String arn = "arn:aws:states:us-east-1:123456789012:stateMachine:" + name;
        try {
            String current = sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition();
            if (!current.equals(definition)) {
                sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(definition));
                LOG.info("updated state machine \"{}\" from {}", name, file);
            }
            return arn;
        } catch (StateMachineDoesNotExistException e) {
            String created = sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
            LOG.info("created state machine \"{}\" from {}", name, file);
            return created;
        }
    }

    /** A file, else a classpath resource of that name (the packaged jar carries both). */
    private static String read(String name, String setting) {
        Path file = Path.of(name);
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            try (InputStream in = LocalServices.class.getResourceAsStream("/" + name)) {
                if (in == null) {
                    throw new IllegalStateException(setting + ": no file or classpath resource \"" + name + "\"");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " (" + setting + ")", e);
        }
    }

    public Engine engine() {
        return engine;
    }

    public URI engineEndpoint() {
        return config.endpoint(endpoint.port());
    }

    /** Where DynamoDB Local listens, or "in-process" when it has no port (the default). */
    public String dynamodbEndpoint() {
        return dynamoDb.endpoint().map(URI::toString).orElse("in-process");
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    /** The drift state machine deployed beside the pipeline. */
    public String driftStateMachineArn() {
        return driftStateMachineArn;
    }

    /** The local build projects: what each environment's builds run with. */
    public LocalProjects projects() {
        return projects;
    }

    /** How builds are kept from the controller. */
    public Isolation isolation() {
        return isolation;
    }

    @PreDestroy
    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (time != null) {
            time.close();
        }
        if (taskExecutor != null) {
            taskExecutor.shutdownNow();
        }
        housekeeping.shutdownNow();
        LOG.info("local services stopped");
    }
}
