package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.asl.Definition;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.store.Journal;
import dev.gitops.engine.time.EngineTime;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One execution. While it runs it holds its position (state, state input, retry counters, the task in flight); once
 * closed only its summary stays in memory, and input, output and history are read back from its journal.
 * Every field is guarded by the object's monitor.
 */
public final class Execution {
    final String arn;
    final String name;
    final String stateMachineArn;
    final String stateMachineName;
    final String revisionId;
    final String roleArn;
    final Instant startDate;
    final Journal journal;

    Definition definition;
    String input;
    JsonNode inputNode;
    ExecutionStatus status = ExecutionStatus.RUNNING;
    Instant stopDate;
    String error;
    String cause;

    long lastEventId;
    /** The top level; its Map and Parallel states hold the branches and iterations below it. */
    Run root;
    /** Runs ready to take their next step, in the order they became ready. */
    final ArrayDeque<Run> queue = new ArrayDeque<>();
    /** Tasks in flight, by the id of their TaskScheduled event (which their tokens name). */
    final Map<Long, TaskRun> tasks = new HashMap<>();
    EngineTime.Timer executionTimer;
    final List<String> pending = new ArrayList<>();

    Execution(String arn, String name, String stateMachineArn, String stateMachineName, String revisionId,
              String roleArn, Instant startDate, Journal journal) {
        this.arn = arn;
        this.name = name;
        this.stateMachineArn = stateMachineArn;
        this.stateMachineName = stateMachineName;
        this.revisionId = revisionId;
        this.roleArn = roleArn;
        this.startDate = startDate;
        this.journal = journal;
    }

    /** A new running execution. */
    public static Execution create(String arn, String name, String stateMachineArn, String stateMachineName,
                                   String revisionId, String roleArn, Instant startDate, Journal journal,
                                   Definition definition, String input, JsonNode inputNode) {
        Execution execution = new Execution(arn, name, stateMachineArn, stateMachineName, revisionId, roleArn, startDate,
                journal);
        execution.definition = definition;
        execution.input = input;
        execution.inputNode = inputNode;
        return execution;
    }

    /** A closed execution read back from its journal, with the event that ended it. */
    public static Execution closed(String arn, String name, String stateMachineArn, String stateMachineName,
                                   String revisionId, String roleArn, Instant startDate, Journal journal,
                                   JsonNode terminalEvent) {
        Execution execution = new Execution(arn, name, stateMachineArn, stateMachineName, revisionId, roleArn, startDate,
                journal);
        String type = terminalEvent.get("type").asText();
        execution.status = switch (type) {
            case "ExecutionSucceeded" -> ExecutionStatus.SUCCEEDED;
            case "ExecutionAborted" -> ExecutionStatus.ABORTED;
            case "ExecutionTimedOut" -> ExecutionStatus.TIMED_OUT;
            default -> ExecutionStatus.FAILED;
        };
        execution.stopDate = Replay.instant(terminalEvent.get("timestamp"));
        String detailsField = Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
        JsonNode details = terminalEvent.path(detailsField);
        execution.error = details.path("error").asText(null);
        execution.cause = details.path("cause").asText(null);
        execution.lastEventId = terminalEvent.get("id").asLong();
        return execution;
    }

    /** A closed execution as the state machine's index records it (see {@link #indexRecord}). */
    public static Execution closed(JsonNode record, Journal journal) {
        Execution execution = new Execution(record.get("arn").asText(), record.get("name").asText(),
                record.get("stateMachineArn").asText(), record.get("stateMachineName").asText(),
                record.get("revisionId").asText(), record.path("roleArn").asText(null),
                Instant.ofEpochMilli(record.get("startDate").asLong()), journal);
        execution.status = ExecutionStatus.valueOf(record.get("status").asText());
        execution.stopDate = Instant.ofEpochMilli(record.get("stopDate").asLong());
        execution.error = record.path("error").asText(null);
        execution.cause = record.path("cause").asText(null);
        execution.lastEventId = record.get("lastEventId").asLong();
        return execution;
    }

    /** What the state machine's index keeps of this closed execution: all a restart needs without its journal. */
    public synchronized ObjectNode indexRecord() {
        ObjectNode record = Json.object();
        record.put("arn", arn).put("name", name).put("stateMachineArn", stateMachineArn)
                .put("stateMachineName", stateMachineName).put("revisionId", revisionId).put("roleArn", roleArn)
                .put("startDate", startDate.toEpochMilli()).put("stopDate", stopDate.toEpochMilli())
                .put("status", status.name()).put("error", error).put("cause", cause).put("lastEventId", lastEventId)
                .put("journal", journal.file().getFileName().toString());
        return record;
    }

    public String arn() {
        return arn;
    }

    public String name() {
        return name;
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    public String stateMachineName() {
        return stateMachineName;
    }

    public Journal journal() {
        return journal;
    }

    public Instant startDate() {
        return startDate;
    }

    public synchronized ExecutionStatus status() {
        return status;
    }

    public synchronized Instant stopDate() {
        return stopDate;
    }

    public synchronized String error() {
        return error;
    }

    public synchronized String cause() {
        return cause;
    }

    /** The input as given to StartExecution (read back from the journal once the execution has closed). */
    public String input() {
        synchronized (this) {
            if (input != null) {
                return input;
            }
        }
        JsonNode first = firstEvent("ExecutionStarted");
        return first == null ? null : first.path("executionStartedEventDetails").path("input").asText(null);
    }

    /** The output of a succeeded execution, else null. */
    public String output() {
        synchronized (this) {
            if (status != ExecutionStatus.SUCCEEDED) {
                return null;
            }
        }
        List<JsonNode> tail = journal.tail(Json.MAX_PAYLOAD_BYTES * 2 + 4096);
        for (int i = tail.size() - 1; i >= 0; i--) {
            if ("ExecutionSucceeded".equals(tail.get(i).path("type").asText())) {
                return tail.get(i).path("executionSucceededEventDetails").path("output").asText(null);
            }
        }
        return null;
    }

    /**
     * The history events, oldest first, without the engine's own records and without the fields only the engine reads
     * (those starting with {@code @}, such as the scope of events inside Map and Parallel states).
     */
    public List<JsonNode> history() {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode line : journal.readAll()) {
            if (!line.has("@")) {
                ((ObjectNode) line).remove(privateFields(line));
                events.add(line);
            }
        }
        return events;
    }

    private static List<String> privateFields(JsonNode event) {
        List<String> names = null;
        Iterator<String> fields = event.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (field.startsWith("@")) {
                if (names == null) {
                    names = new ArrayList<>(2);
                }
                names.add(field);
            }
        }
        return names == null ? List.of() : names;
    }

    private JsonNode firstEvent(String type) {
        for (JsonNode line : journal.readAll()) {
            if (type.equals(line.path("type").asText())) {
                return line;
            }
        }
        return null;
    }

    boolean running() {
        return status == ExecutionStatus.RUNNING;
    }
}
