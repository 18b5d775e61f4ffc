package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.asl.State;
import dev.gitops.engine.data.Json;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Reads a running execution's journal back into its position: the current state and what its task was doing. */
final class Replay {
    enum Phase { ENTERED, SCHEDULED, SUBMITTED, RETRY_WAIT, TASK_FAILED }

    Phase phase = Phase.ENTERED;
    Instant retryAt;
    long scheduledId;
    Instant scheduledAt;
    Instant lastHeartbeat;
    String token;
    JsonNode parameters;
    int timeoutSeconds;
    Integer heartbeatSeconds;
    String error;
    String cause;

    static Replay of(Execution x, List<JsonNode> lines) {
        Replay replay = new Replay();
        for (JsonNode line : lines) {
            if (line.has("@")) {
                replay.record(x, line);
            } else {
                replay.event(x, line);
            }
        }
        if (x.stateName == null) {
            throw new IllegalStateException("the journal of " + x.arn + " has no state entry");
        }
        return replay;
    }

    private void record(Execution x, JsonNode line) {
        switch (line.get("@").asText()) {
            case "task" -> {
                token = line.path("token").isNull() ? null : line.path("token").asText(null);
                timeoutSeconds = line.path("timeout").asInt();
                heartbeatSeconds = line.has("heartbeat") ? line.get("heartbeat").asInt() : null;
            }
            case "retry" -> {
                int retrier = line.get("retrier").asInt();
                if (retrier < x.retrierAttempts.length) {
                    x.retrierAttempts[retrier]++;
                }
                x.retryCount++;
                retryAt = Instant.ofEpochMilli(line.get("at").asLong());
                phase = Phase.RETRY_WAIT;
            }
            case "heartbeat" -> lastHeartbeat = Instant.ofEpochMilli(line.get("at").asLong());
            default -> {
            }
        }
    }

    private void event(Execution x, JsonNode event) {
        long id = event.get("id").asLong();
        x.lastEventId = id;
        String type = event.get("type").asText();
        Instant at = instant(event.get("timestamp"));
        if (type.endsWith("StateEntered")) {
            JsonNode details = event.get("stateEnteredEventDetails");
            x.stateName = details.get("name").asText();
            x.stateInput = Json.parseTrusted(details.get("input").asText());
            x.enteredAt = at;
            x.enteredEventId = id;
            x.retryCount = 0;
            State state = x.definition.state(x.stateName);
            x.retrierAttempts = state instanceof State.Task task ? new int[task.retry().size()] : new int[0];
            phase = Phase.ENTERED;
            return;
        }
        switch (type) {
            case "TaskScheduled" -> {
                phase = Phase.SCHEDULED;
                scheduledId = id;
                scheduledAt = at;
                lastHeartbeat = at;
                parameters = Json.parseTrusted(event.get("taskScheduledEventDetails").get("parameters").asText());
            }
            case "TaskSubmitted" -> phase = Phase.SUBMITTED;
            case "TaskFailed", "TaskTimedOut" -> {
                JsonNode details = event.has("taskFailedEventDetails") ? event.get("taskFailedEventDetails")
                        : event.get("taskTimedOutEventDetails");
                error = details.path("error").asText("");
                cause = details.path("cause").asText("");
                phase = Phase.TASK_FAILED;
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
