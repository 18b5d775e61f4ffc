package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.data.Json;

import java.math.BigDecimal;
import java.time.Instant;

/** Builds history events in the shape GetExecutionHistory returns them. */
final class Events {
    private Events() {
    }

    static ObjectNode event(long id, long previousId, Instant at, String type, String detailsField, ObjectNode details) {
        ObjectNode event = Json.object();
        event.put("timestamp", epochSeconds(at));
        event.put("type", type);
        event.put("id", id);
        event.put("previousEventId", previousId);
        if (detailsField != null) {
            event.set(detailsField, details);
        }
        return event;
    }

    static BigDecimal epochSeconds(Instant at) {
        return BigDecimal.valueOf(at.toEpochMilli(), 3);
    }

    static ObjectNode data(String field, String value) {
        ObjectNode details = Json.object();
        if (value != null) {
            details.put(field, value);
            details.putObject(field + "Details").put("truncated", false);
        }
        return details;
    }

    static ObjectNode state(String name, String field, String value) {
        ObjectNode details = Json.object();
        details.put("name", name);
        if (value != null) {
            details.put(field, value);
            details.putObject(field + "Details").put("truncated", false);
        }
        return details;
    }

    static ObjectNode errorDetails(String error, String cause) {
        ObjectNode details = Json.object();
        if (error != null) {
            details.put("error", error);
        }
        if (cause != null) {
            details.put("cause", cause);
        }
        return details;
    }

    static ObjectNode task(String resourceType, String resource) {
        ObjectNode details = Json.object();
        details.put("resourceType", resourceType);
        details.put("resource", resource);
        return details;
    }
}
