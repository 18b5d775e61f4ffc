package dev.gitops.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.asl.Definition;
import dev.gitops.engine.asl.DefinitionParser;
import dev.gitops.engine.asl.InvalidDefinitionException;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.runtime.Execution;
import dev.gitops.engine.runtime.ExecutionStatus;
import dev.gitops.engine.runtime.Interpreter;
import dev.gitops.engine.runtime.TaskTokens;
import dev.gitops.engine.store.EngineStore;
import dev.gitops.engine.tasks.TaskHandlers;
import dev.gitops.engine.threads.DaemonThreads;
import dev.gitops.engine.time.EngineTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The embedded Step Functions-compatible engine: state machines, executions and task callbacks, persisted under a data
 * directory so that running executions continue after the process is killed. Its operations are those of the AWS API
 * and fail with {@link EngineException}s carrying AWS's error codes; {@code engine.api.AwsJsonServer} serves them over
 * the AWS protocol. Construct it, register task handlers and functions, then call {@link #resume()} once.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final int MAX_DEFINITION_BYTES = 1024 * 1024;

    private final EngineConfig config;
    private final EngineTime time;
    private final TaskHandlers handlers;
    private final EngineStore store;
    private final ExecutorService workers;
    private final ExecutorService notifier;
    private final Interpreter interpreter;
    private final Map<String, StateMachine> stateMachines = new ConcurrentHashMap<>();
    private final Map<String, Definition> revisions = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final List<ExecutionListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private boolean resumed;

    public Engine(EngineConfig config, EngineTime time, TaskHandlers handlers, RandomGenerator random) {
        this.config = config;
        this.time = time;
        this.handlers = handlers;
        this.store = new EngineStore(config.dataDir());
        this.workers = Executors.newFixedThreadPool(config.workers(), DaemonThreads.numbered("engine-worker"));
        this.notifier = Executors.newSingleThreadExecutor(DaemonThreads.numbered("engine-listener"));
        this.interpreter = new Interpreter(time, workers, handlers, random, config.region(), this::closed,
                arn -> stateMachines.get(arn) == null || "DELETING".equals(stateMachines.get(arn).status()));
    }

    public EngineConfig config() {
        return config;
    }

    public TaskHandlers handlers() {
        return handlers;
    }

    public void addListener(ExecutionListener listener) {
        listeners.add(listener);
    }

    // ------------------------------------------------------------------------------------------------ state machines

    public StateMachine createStateMachine(String name, String definition, String roleArn, String type) {
        Names.check(name);
        require(definition, "definition");
        require(roleArn, "roleArn");
        Names.checkRoleArn(roleArn);
        checkType(type);
        Definition parsed = parse(definition);
        String arn = Names.stateMachineArn(config, name);
        synchronized (lifecycle) {
            StateMachine existing = stateMachines.get(arn);
            if (existing != null) {
                // As AWS: idempotent on name and definition; a different roleArn is ignored, not updated.
                if (existing.definitionText().equals(definition) && "ACTIVE".equals(existing.status())) {
                    return existing;
                }
                if ("DELETING".equals(existing.status())) {
                    throw new EngineException("StateMachineDeleting", "State Machine is being deleted: '" + arn + "'");
                }
                throw new EngineException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn
                        + "' (with a different definition; use UpdateStateMachine)");
            }
            Instant now = time.now();
            StateMachine machine = new StateMachine(arn, name, "STANDARD", roleArn, definition, parsed,
                    revisionId(definition, roleArn), now, null, "ACTIVE");
            save(machine);
            return machine;
        }
    }

    public StateMachine describeStateMachine(String arn) {
        Names.checkArn(arn, "stateMachine");
        StateMachine machine = stateMachines.get(arn);
        if (machine == null) {
            throw new EngineException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return machine;
    }

    public List<StateMachine> listStateMachines() {
        List<StateMachine> list = new ArrayList<>(stateMachines.values());
        list.sort(Comparator.comparing(StateMachine::creationDate).thenComparing(StateMachine::name));
        return list;
    }

    public StateMachine updateStateMachine(String arn, String definition, String roleArn) {
        if (definition == null && roleArn == null) {
            throw new EngineException("MissingRequiredParameter", "Either the definition or the roleArn must be specified.");
        }
        if (roleArn != null) {
            Names.checkRoleArn(roleArn);
        }
        Definition parsed = definition == null ? null : parse(definition);
        synchronized (lifecycle) {
            StateMachine machine = describeStateMachine(arn);
            if ("DELETING".equals(machine.status())) {
                throw new EngineException("StateMachineDeleting", "State Machine is being deleted: '" + arn + "'");
            }
            String newDefinition = definition == null ? machine.definitionText() : definition;
            String newRole = roleArn == null ? machine.roleArn() : roleArn;
            StateMachine updated = new StateMachine(arn, machine.name(), machine.type(), newRole, newDefinition,
                    parsed == null ? machine.definition() : parsed, revisionId(newDefinition, newRole),
                    machine.creationDate(), time.now(), machine.status());
            save(updated);
            return updated;
        }
    }

    /**
     * Deletes at once when nothing runs; otherwise marks the state machine DELETING: as in AWS, its executions are
     * terminated at their next state transition, and it is deleted when the last one has ended.
     */
    public void deleteStateMachine(String arn) {
        Names.checkArn(arn, "stateMachine");
        synchronized (lifecycle) {
            StateMachine machine = stateMachines.get(arn);
            if (machine == null) {
                return;
            }
            boolean running = executions.values().stream()
                    .anyMatch(x -> x.stateMachineArn().equals(arn) && x.status() == ExecutionStatus.RUNNING);
            if (running) {
                StateMachine deleting = machine.withStatus("DELETING");
                stateMachines.put(arn, deleting);
                store.saveStateMachine(machine.name(), record(deleting));
            } else {
                stateMachines.remove(arn);
                store.deleteStateMachine(machine.name());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ executions

    /** The result of StartExecution: the execution and whether this call started it. */
    public record Started(Execution execution, boolean created) {
    }

    public Started startExecution(String stateMachineArn, String name, String input) {
        Names.checkArn(stateMachineArn, "stateMachine");
        String executionName = name == null ? UUID.randomUUID().toString() : name;
        Names.check(executionName);
        String inputText = input == null ? "{}" : input;
        if (Json.utf8Length(inputText) > Json.MAX_PAYLOAD_BYTES) {
            throw new EngineException("ValidationException", "1 validation error detected: Value at 'input' failed to"
                    + " satisfy constraint: Member must have length less than or equal to 262144");
        }
        JsonNode inputNode;
        try {
            inputNode = Json.parse(inputText);
        } catch (JsonProcessingException e) {
            throw new EngineException("InvalidExecutionInput", "Invalid State Machine Execution Input: '"
                    + e.getOriginalMessage() + "'");
        }
        Execution execution;
        StateMachine machine;
        synchronized (lifecycle) {
            machine = describeStateMachine(stateMachineArn);
            if ("DELETING".equals(machine.status())) {
                throw new EngineException("StateMachineDeleting", "State Machine is being deleted: '" + stateMachineArn + "'");
            }
            String arn = Names.executionArn(config, machine.name(), executionName);
            Execution existing = executions.get(arn);
            if (existing != null) {
                if (existing.status() == ExecutionStatus.RUNNING && inputText.equals(existing.input())) {
                    return new Started(existing, false);
                }
                throw new EngineException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'"
                        + (existing.status() == ExecutionStatus.RUNNING ? " (running, with a different input)" : " (closed)"));
            }
            Instant now = time.now();
            revisions.putIfAbsent(machine.revisionId(), machine.definition());
            execution = Execution.create(arn, executionName, machine.arn(), machine.name(), machine.revisionId(),
                    machine.roleArn(), now, store.journal(machine.name(), executionName), machine.definition(),
                    inputText, inputNode);
            ObjectNode start = Json.object();
            start.put("@", "start");
            start.put("executionArn", execution.arn());
            start.put("name", execution.name());
            start.put("stateMachineArn", execution.stateMachineArn());
            start.put("revisionId", machine.revisionId());
            start.put("roleArn", machine.roleArn());
            start.put("startDate", execution.startDate().toEpochMilli());
            try {
                interpreter.start(execution, start);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new EngineException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "' (the data"
                        + " directory holds a journal by that name that could not be read back: " + e.getFile() + ")");
            }
            executions.put(arn, execution);
        }
        announce(new ExecutionStatusChange(execution.arn(), execution.stateMachineArn(), execution.name(),
                ExecutionStatus.RUNNING.name(), execution.startDate(), null, null, null));
        interpreter.run(execution);
        return new Started(execution, true);
    }

    public Execution describeExecution(String arn) {
        Names.checkArn(arn, "execution");
        Execution execution = executions.get(arn);
        if (execution == null) {
            throw new EngineException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return execution;
    }

    /** Executions of one state machine, newest first, optionally only those with one status. */
    public List<Execution> listExecutions(String stateMachineArn, ExecutionStatus status) {
        describeStateMachine(stateMachineArn);
        List<Execution> list = new ArrayList<>();
        for (Execution execution : executions.values()) {
            if (execution.stateMachineArn().equals(stateMachineArn) && (status == null || execution.status() == status)) {
                list.add(execution);
            }
        }
        list.sort(Comparator.comparing(Execution::startDate).reversed().thenComparing(Execution::name));
        return list;
    }

    public Instant stopExecution(String arn, String error, String cause) {
        return interpreter.stop(describeExecution(arn), error, cause);
    }

    // ------------------------------------------------------------------------------------------------ callbacks

    public void sendTaskSuccess(String token, String output) {
        Execution execution = tokenExecution(token);
        JsonNode value = validOutput(output);
        try {
            interpreter.sendTaskSuccess(execution, token, value);
        } catch (Interpreter.TaskNotWaiting e) {
            throw new EngineException("TaskTimedOut", e.getMessage());
        }
    }

    public void sendTaskFailure(String token, String error, String cause) {
        Execution execution = tokenExecution(token);
        try {
            interpreter.sendTaskFailure(execution, token, error == null ? "" : error, cause == null ? "" : cause);
        } catch (Interpreter.TaskNotWaiting e) {
            throw new EngineException("TaskTimedOut", e.getMessage());
        }
    }

    public void sendTaskHeartbeat(String token) {
        Execution execution = tokenExecution(token);
        try {
            interpreter.sendTaskHeartbeat(execution, token);
        } catch (Interpreter.TaskNotWaiting e) {
            throw new EngineException("TaskTimedOut", e.getMessage());
        }
    }

    private Execution tokenExecution(String token) {
        require(token, "taskToken");
        TaskTokens.Token decoded = TaskTokens.decode(token);
        if (decoded == null) {
            throw new EngineException("InvalidToken", "Invalid Token: 'the task token is malformed'");
        }
        Execution execution = executions.get(decoded.executionArn());
        if (execution == null) {
            throw new EngineException("TaskDoesNotExist", "Task Does Not Exist: the token's execution '"
                    + decoded.executionArn() + "' is unknown");
        }
        return execution;
    }

    private static JsonNode validOutput(String output) {
        require(output, "output");
        if (Json.utf8Length(output) > Json.MAX_PAYLOAD_BYTES) {
            throw new EngineException("ValidationException", "1 validation error detected: Value at 'output' failed to"
                    + " satisfy constraint: Member must have length less than or equal to 262144");
        }
        try {
            return Json.parse(output);
        } catch (JsonProcessingException e) {
            throw new EngineException("InvalidOutput", "Invalid Output: '" + e.getOriginalMessage() + "'");
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    private Definition parse(String definition) {
        if (definition.getBytes(StandardCharsets.UTF_8).length > MAX_DEFINITION_BYTES) {
            throw new EngineException("ValidationException", "1 validation error detected: Value at 'definition' failed"
                    + " to satisfy constraint: Member must have length less than or equal to 1048576");
        }
        try {
            return DefinitionParser.parse(definition, handlers::check);
        } catch (InvalidDefinitionException e) {
            throw new EngineException("InvalidDefinition", e.getMessage());
        }
    }

    /** Validates a definition without creating anything (ValidateStateMachineDefinition). */
    public List<dev.gitops.engine.asl.Diagnostic> validate(String definition) {
        try {
            DefinitionParser.parse(definition, handlers::check);
            return List.of();
        } catch (InvalidDefinitionException e) {
            return e.diagnostics();
        }
    }

    private void save(StateMachine machine) {
        store.saveRevision(machine.name(), machine.revisionId(), machine.definitionText());
        store.saveStateMachine(machine.name(), record(machine));
        revisions.put(machine.revisionId(), machine.definition());
        stateMachines.put(machine.arn(), machine);
    }

    private static ObjectNode record(StateMachine machine) {
        ObjectNode record = Json.object();
        record.put("arn", machine.arn());
        record.put("name", machine.name());
        record.put("type", machine.type());
        record.put("roleArn", machine.roleArn());
        record.put("revisionId", machine.revisionId());
        record.put("creationDate", machine.creationDate().toEpochMilli());
        if (machine.updateDate() != null) {
            record.put("updateDate", machine.updateDate().toEpochMilli());
        }
        record.put("status", machine.status());
        return record;
    }

    private static String revisionId(String definition, String roleArn) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(definition.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(roleArn.getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(digest.digest(), 0, 16);
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkType(String type) {
        if (type != null && !"STANDARD".equals(type)) {
            if ("EXPRESS".equals(type)) {
                throw new EngineException("StateMachineTypeNotSupported", "The embedded engine runs STANDARD workflows;"
                        + " EXPRESS is not supported");
            }
            throw new EngineException("ValidationException", "1 validation error detected: Value '" + type
                    + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]");
        }
    }

    static void require(String value, String field) {
        if (value == null) {
            throw new EngineException("ValidationException", "1 validation error detected: Value null at '" + field
                    + "' failed to satisfy constraint: Member must not be null");
        }
    }

    private void announce(ExecutionStatusChange change) {
        if (listeners.isEmpty()) {
            return;
        }
        notifier.execute(() -> {
            for (ExecutionListener listener : listeners) {
                try {
                    listener.onStatusChange(change);
                } catch (RuntimeException e) {
                    LOG.warn("execution listener failed on {} of \"{}\": {}", change.status(), change.executionArn(), e.toString());
                }
            }
        });
    }

    private void closed(Execution execution) {
        try {
            store.indexClosed(execution.stateMachineName(), execution.indexRecord());
        } catch (RuntimeException e) {
            LOG.warn("could not index closed execution \"{}\" (a restart reads its journal instead): {}", execution.arn(),
                    e.toString());
        }
        announce(new ExecutionStatusChange(execution.arn(), execution.stateMachineArn(), execution.name(),
                execution.status().name(), execution.startDate(), execution.stopDate(), execution.error(),
                execution.cause()));
        StateMachine machine = stateMachines.get(execution.stateMachineArn());
        if (machine != null && "DELETING".equals(machine.status())) {
            workers.execute(() -> deleteStateMachine(machine.arn()));
        }
    }

    /**
     * Reads the data directory back (state machines, every execution) and continues the executions that were running.
     * Call once, after every task handler and function is registered: resumed tasks may call them at once.
     */
    public void resume() {
        synchronized (lifecycle) {
            if (resumed) {
                throw new IllegalStateException("the engine has already resumed");
            }
            resumed = true;
        }
        new Recovery(store, handlers, interpreter, stateMachines, revisions, executions, this::deleteStateMachine,
                config.retention(), time.now()).run();
    }

    /**
     * Forgets the executions that closed before {@code before}: gone from the API, their journals deleted, the indexes
     * rewritten (as Step Functions forgets closed executions after 90 days). Running executions stay, however old.
     *
     * @return how many were forgotten
     */
    public int forgetClosedBefore(Instant before) {
        return new Recovery(store, handlers, interpreter, stateMachines, revisions, executions, this::deleteStateMachine,
                config.retention(), time.now()).forgetClosedBefore(before);
    }

    @Override
    public void close() {
        workers.shutdown();
        notifier.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            notifier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
