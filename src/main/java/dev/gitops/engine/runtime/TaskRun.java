package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.asl.State;
import dev.gitops.engine.time.EngineTime;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One attempt of a Task state: what was scheduled, its deadlines, and the way to call it off. */
final class TaskRun {
    /** The run whose Task state this is. */
    final Run owner;
    final State.Task state;
    final long scheduledEventId;
    final String token;
    final JsonNode parameters;
    final Instant scheduledAt;
    final int timeoutSeconds;
    final Integer heartbeatSeconds;
    final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    Instant lastHeartbeat;
    boolean submitted;
    EngineTime.Timer timeoutTimer;
    EngineTime.Timer heartbeatTimer;

    TaskRun(Run owner, State.Task state, long scheduledEventId, String token, JsonNode parameters, Instant scheduledAt,
            int timeoutSeconds, Integer heartbeatSeconds) {
        this.owner = owner;
        this.state = state;
        this.scheduledEventId = scheduledEventId;
        this.token = token;
        this.parameters = parameters;
        this.scheduledAt = scheduledAt;
        this.timeoutSeconds = timeoutSeconds;
        this.heartbeatSeconds = heartbeatSeconds;
        this.lastHeartbeat = scheduledAt;
    }

    Instant deadline() {
        return scheduledAt.plusSeconds(timeoutSeconds);
    }

    Instant heartbeatDeadline() {
        return heartbeatSeconds == null ? null : lastHeartbeat.plusSeconds(heartbeatSeconds);
    }

    void stopTimers() {
        if (timeoutTimer != null) {
            timeoutTimer.cancel();
        }
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
        }
    }
}
