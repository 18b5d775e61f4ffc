package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.asl.Definition;
import dev.gitops.engine.asl.DefinitionParser;
import dev.gitops.engine.asl.InvalidDefinitionException;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.runtime.Execution;
import dev.gitops.engine.runtime.ExecutionStatus;
import dev.gitops.engine.runtime.Interpreter;
import dev.gitops.engine.store.EngineStore;
import dev.gitops.engine.store.Journal;
import dev.gitops.engine.tasks.TaskHandlers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What {@link Engine#resume()} does after a restart: reads the data directory back into the engine's maps (state
 * machines, every execution, the definitions they ran), repairs journals a killed process left half-written, hands
 * the executions that were running to the interpreter, and finishes deleting state machines marked DELETING. Closed
 * executions come from each state machine's index, not from their journals, and those closed longer ago than the
 * retention are forgotten (journal deleted, index rewritten): a restart reads only the journals of what was running.
 */
final class Recovery {
    /** Its lines are the engine's: they are logged under the engine's name. */
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final EngineStore store;
    private final TaskHandlers handlers;
    private final Interpreter interpreter;
    private final Map<String, StateMachine> stateMachines;
    private final Map<String, Definition> revisions;
    private final Map<String, Execution> executions;
    private final Consumer<String> deleteStateMachine;
    private final Duration retention;
    private final Instant now;

    /**
     * Works on the engine's own maps, which it fills; {@code deleteStateMachine} deletes a state machine by ARN as
     * DeleteStateMachine does.
     */
    Recovery(EngineStore store, TaskHandlers handlers, Interpreter interpreter, Map<String, StateMachine> stateMachines,
             Map<String, Definition> revisions, Map<String, Execution> executions, Consumer<String> deleteStateMachine,
             Duration retention, Instant now) {
        this.retention = retention;
        this.now = now;
        this.store = store;
        this.handlers = handlers;
        this.interpreter = interpreter;
        this.stateMachines = stateMachines;
        this.revisions = revisions;
        this.executions = executions;
        this.deleteStateMachine = deleteStateMachine;
    }

    /**
     * Loads the state machines, then every execution, resuming each running one as soon as its journal is read, then
     * finishes the deletions. Runs once.
     */
    void run() {
        for (JsonNode record : store.loadStateMachines()) {
            String name = record.get("name").asText();
            String revisionId = record.get("revisionId").asText();
            String definitionText = store.loadRevision(name, revisionId);
            StateMachine machine = new StateMachine(record.get("arn").asText(), name, record.get("type").asText(),
                    record.get("roleArn").asText(), definitionText, revision(name, revisionId), revisionId,
                    Instant.ofEpochMilli(record.get("creationDate").asLong()),
                    record.has("updateDate") ? Instant.ofEpochMilli(record.get("updateDate").asLong()) : null,
                    record.get("status").asText());
            stateMachines.put(machine.arn(), machine);
        }
        AtomicInteger resumed = new AtomicInteger();
        Path executionsDir = store.root().resolve("executions");
        try (var dirs = Files.list(executionsDir)) {
            for (Path dir : dirs.toList()) {
                String machineName = dir.getFileName().toString().replace("%2E", ".");
                Set<String> indexed = loadIndex(machineName);
                for (Journal journal : store.journals(machineName)) {
                    if (indexed.contains(journal.file().getFileName().toString())) {
                        continue;
                    }
                    try {
                        recover(journal, resumed, machineName);
                    } catch (RuntimeException e) {
                        LOG.error("cannot read the execution journal \"{}\"; skipping it", journal.file(), e);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + executionsDir, e);
        }
        for (StateMachine machine : List.copyOf(stateMachines.values())) {
            if ("DELETING".equals(machine.status())) {
                deleteStateMachine.accept(machine.arn());
            }
        }
        if (!executions.isEmpty()) {
            LOG.info("engine data in \"{}\": {} state machine(s), {} execution(s), {} resumed", store.root(),
                    stateMachines.size(), executions.size(), resumed.get());
        }
    }

    /**
     * The closed executions a state machine's index lists, registered without reading their journals; those closed
     * before the retention are forgotten instead. @return the journals the index covers
     */
    private Set<String> loadIndex(String machineName) {
        Set<String> indexed = new HashSet<>();
        List<JsonNode> kept = new ArrayList<>();
        int forgotten = 0;
        Instant keepFrom = now.minus(retention);
        for (JsonNode record : store.closedIndex(machineName)) {
            String file = record.path("journal").asText();
            if (!indexed.add(file)) {
                continue;
            }
            Journal journal = store.indexedJournal(machineName, file);
            if (Instant.ofEpochMilli(record.path("stopDate").asLong()).isBefore(keepFrom)) {
                delete(journal);
                forgotten++;
                continue;
            }
            if (Files.exists(journal.file())) {
                executions.put(record.get("arn").asText(), Execution.closed(record, journal));
                kept.add(record);
            }
        }
        if (forgotten > 0) {
            store.rewriteClosedIndex(machineName, kept);
            LOG.info("forgot {} execution(s) of \"{}\" closed more than {} ago", forgotten, machineName, retention);
        }
        return indexed;
    }

    /** Forgets every execution closed before {@code before} (see {@link Engine#forgetClosedBefore}). */
    int forgetClosedBefore(Instant before) {
        int forgotten = 0;
        Map<String, List<JsonNode>> kept = new HashMap<>();
        Map<String, Boolean> changed = new HashMap<>();
        for (Execution execution : List.copyOf(executions.values())) {
            if (execution.status() == ExecutionStatus.RUNNING) {
                continue;
            }
            String machine = execution.stateMachineName();
            kept.computeIfAbsent(machine, m -> new ArrayList<>());
            if (execution.stopDate() != null && execution.stopDate().isBefore(before)) {
                executions.remove(execution.arn());
                delete(execution.journal());
                changed.put(machine, true);
                forgotten++;
            } else {
                kept.get(machine).add(execution.indexRecord());
            }
        }
        changed.keySet().forEach(machine -> store.rewriteClosedIndex(machine, kept.get(machine)));
        return forgotten;
    }

    private static void delete(Journal journal) {
        try {
            Files.deleteIfExists(journal.file());
        } catch (IOException e) {
            LOG.warn("cannot delete the journal \"{}\": {}", journal.file(), e.toString());
        }
    }

    /**
     * One execution the index does not list: a closed one is registered from its terminal event (read from the
     * journal's tail when possible) and indexed, or forgotten when past the retention; a running one is replayed from
     * its whole journal and resumed.
     */
    private void recover(Journal journal, AtomicInteger resumed, String indexName) {
        if (!journal.endsCommitted() && journal.repair()) {
            LOG.warn("execution journal \"{}\" ended in a partly written batch (the process was killed while writing);"
                    + " cut back to its last whole batch", journal.file());
        }
        JsonNode start = journal.first();
        if (start == null) {
            // Not even the first batch was written whole: StartExecution never answered for it.
            try {
                Files.deleteIfExists(journal.file());
            } catch (IOException e) {
                LOG.warn("cannot remove the empty execution journal \"{}\": {}", journal.file(), e.toString());
            }
            return;
        }
        if (!"start".equals(start.path("@").asText())) {
            LOG.error("\"{}\" is not an execution journal (no start record); skipping it", journal.file());
            return;
        }
        String arn = start.get("executionArn").asText();
        String machineArn = start.get("stateMachineArn").asText();
        String machineName = machineArn.substring(machineArn.lastIndexOf(':') + 1);
        Instant startDate = Instant.ofEpochMilli(start.get("startDate").asLong());
        JsonNode terminal = terminal(journal.tail(64 * 1024));
        List<JsonNode> all = null;
        if (terminal == null) {
            all = journal.readAll();
            terminal = terminal(all);
        }
        String roleArn = start.path("roleArn").asText(null);
        String revisionId = start.get("revisionId").asText();
        if (terminal != null) {
            Execution closed = Execution.closed(arn, start.get("name").asText(), machineArn, machineName, revisionId,
                    roleArn, startDate, journal, terminal);
            if (closed.stopDate().isBefore(now.minus(retention))) {
                delete(journal);
                return;
            }
            executions.put(arn, closed);
            store.indexClosed(indexName, closed.indexRecord());
            return;
        }
        Definition definition = revision(machineName, revisionId);
        String input = null;
        for (JsonNode line : all) {
            if ("ExecutionStarted".equals(line.path("type").asText())) {
                input = line.get("executionStartedEventDetails").get("input").asText();
                break;
            }
        }
        Execution execution = Execution.create(arn, start.get("name").asText(), machineArn, machineName, revisionId,
                roleArn, startDate, journal, definition, input, Json.parseTrusted(input));
        executions.put(arn, execution);
        interpreter.resume(execution, all);
        resumed.incrementAndGet();
    }

    private static JsonNode terminal(List<JsonNode> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String type = lines.get(i).path("type").asText();
            if (type.equals("ExecutionSucceeded") || type.equals("ExecutionFailed") || type.equals("ExecutionAborted")
                    || type.equals("ExecutionTimedOut")) {
                return lines.get(i);
            }
        }
        return null;
    }

    private Definition revision(String stateMachineName, String revisionId) {
        return revisions.computeIfAbsent(revisionId, id -> {
            try {
                return DefinitionParser.parse(store.loadRevision(stateMachineName, id), handlers::check);
            } catch (InvalidDefinitionException e) {
                throw new IllegalStateException("stored definition " + id + " of " + stateMachineName + " no longer"
                        + " validates: " + e.getMessage(), e);
            }
        });
    }
}
