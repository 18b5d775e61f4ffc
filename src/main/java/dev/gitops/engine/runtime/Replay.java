package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a running execution's journal back into the position of each of its runs (the top level, and each branch or
 * iteration by the scope its events carry) and what the Map and Parallel states among them had finished: which
 * iterations succeeded or failed. {@link Resumption} puts the execution back together from it.
 */
final class Replay {
    enum Phase { ENTERED, SCHEDULED, SUBMITTED, RETRY_WAIT, TASK_FAILED, FORKED, EXITED }

    /** Where one run was, and what its current state was doing. */
    static final class Position {
        final String scope;
        Phase phase = Phase.ENTERED;
        String stateName;
        String inputText;
        Instant enteredAt;
        long enteredEventId;
        long lastEventId;
        int retryCount;
        int[] retrierAttempts = new int[0];
        Instant retryAt;
        long scheduledId;
        Instant scheduledAt;
        Instant lastHeartbeat;
        String token;
        String parametersText;
        int timeoutSeconds;
        Integer heartbeatSeconds;
        String error;
        String cause;
        /** The Started event of the Map or Parallel state's fork this run waits on; 0 when none. */
        long forkId;
        /** The output of the latest state it exited: a branch's or iteration's result once it ended. */
        String outputText;

        Position(String scope) {
            this.scope = scope;
        }

        JsonNode parameters() {
            return Json.parseTrusted(parametersText);
        }
    }

    /** What a Map or Parallel state's fork had done: iterations started, succeeded, failed (with their errors). */
    static final class ForkLog {
        final long id;
        int started;
        final Set<Integer> succeeded = new HashSet<>();
        final Map<Integer, String[]> failed = new HashMap<>();

        ForkLog(long id) {
            this.id = id;
        }
    }

    final Map<String, Position> positions = new HashMap<>();
    final Map<Long, ForkLog> forks = new HashMap<>();

    static Replay of(Execution x, List<JsonNode> lines) {
        Replay replay = new Replay();
        for (JsonNode line : lines) {
            if (line.has("@")) {
                replay.record(line);
            } else {
                replay.event(x, line);
            }
        }
        Position root = replay.positions.get("");
        if (root == null || root.stateName == null) {
            throw new IllegalStateException("the journal of " + x.arn + " has no state entry");
        }
        return replay;
    }

    Position root() {
        return positions.get("");
    }

    private Position position(String scope) {
        return positions.computeIfAbsent(scope, Position::new);
    }

    private void record(JsonNode line) {
        Position p = position(line.path("r").asText(""));
        switch (line.get("@").asText()) {
            case "task" -> {
                p.token = line.path("token").isNull() ? null : line.path("token").asText(null);
                p.timeoutSeconds = line.path("timeout").asInt();
                p.heartbeatSeconds = line.has("heartbeat") ? line.get("heartbeat").asInt() : null;
            }
            case "retry" -> {
                int retrier = line.get("retrier").asInt();
                if (retrier >= p.retrierAttempts.length) {
                    p.retrierAttempts = Arrays.copyOf(p.retrierAttempts, retrier + 1);
                }
                p.retrierAttempts[retrier]++;
                p.retryCount++;
                p.retryAt = Instant.ofEpochMilli(line.get("at").asLong());
                p.forkId = 0;
                p.phase = Phase.RETRY_WAIT;
            }
            case "heartbeat" -> p.lastHeartbeat = Instant.ofEpochMilli(line.get("at").asLong());
            case "failed" -> {
                ForkLog fork = forks.get(line.get("fork").asLong());
                if (fork != null) {
                    fork.failed.put(line.get("index").asInt(),
                            new String[] {line.path("error").asText(null), line.path("cause").asText(null)});
                }
            }
            default -> {
            }
        }
    }

    private void event(Execution x, JsonNode event) {
        long id = event.get("id").asLong();
        x.lastEventId = id;
        Position p = position(event.path("@r").asText(""));
        p.lastEventId = id;
        String type = event.get("type").asText();
        Instant at = instant(event.get("timestamp"));
        if (type.endsWith("StateEntered")) {
            JsonNode details = event.get("stateEnteredEventDetails");
            p.stateName = details.get("name").asText();
            p.inputText = details.get("input").asText();
            p.enteredAt = at;
            p.enteredEventId = id;
            p.retryCount = 0;
            p.retrierAttempts = new int[0];
            p.forkId = 0;
            p.phase = Phase.ENTERED;
            return;
        }
        if (type.endsWith("StateExited")) {
            p.outputText = event.get("stateExitedEventDetails").get("output").asText();
            p.phase = Phase.EXITED;
            return;
        }
        switch (type) {
            case "MapStateStarted", "ParallelStateStarted" -> {
                forks.put(id, new ForkLog(id));
                p.forkId = id;
                p.phase = Phase.FORKED;
            }
            case "MapIterationStarted" -> {
                ForkLog fork = forks.get(p.forkId);
                if (fork != null) {
                    fork.started = Math.max(fork.started, event.get("mapIterationStartedEventDetails").get("index").asInt() + 1);
                }
            }
            case "MapIterationSucceeded" -> {
                ForkLog fork = forks.get(p.forkId);
                if (fork != null) {
                    fork.succeeded.add(event.get("mapIterationSucceededEventDetails").get("index").asInt());
                }
            }
            case "MapStateSucceeded", "MapStateFailed", "MapStateAborted", "ParallelStateSucceeded",
                    "ParallelStateFailed", "ParallelStateAborted" -> {
                p.forkId = 0;
                p.phase = Phase.ENTERED;
            }
            case "TaskScheduled" -> {
                p.phase = Phase.SCHEDULED;
                p.scheduledId = id;
                p.scheduledAt = at;
                p.lastHeartbeat = at;
                p.parametersText = event.get("taskScheduledEventDetails").get("parameters").asText();
            }
            case "TaskSubmitted" -> p.phase = Phase.SUBMITTED;
            case "TaskFailed", "TaskTimedOut" -> {
                JsonNode details = event.has("taskFailedEventDetails") ? event.get("taskFailedEventDetails")
                        : event.get("taskTimedOutEventDetails");
                p.error = details.path("error").asText("");
                p.cause = details.path("cause").asText("");
                p.phase = Phase.TASK_FAILED;
            }
            default -> {
            }
        }
    }

    static Instant instant(JsonNode epochSeconds) {
        BigDecimal millis = epochSeconds.decimalValue().movePointRight(3);
        return Instant.ofEpochMilli(millis.longValue());
    }
}
