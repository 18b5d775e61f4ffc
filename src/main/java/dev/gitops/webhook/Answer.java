package dev.gitops.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the webhook answers: an HTTP status and a JSON body, in DESIGN.md's shapes. */
public record Answer(int status, ObjectNode body) {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static Answer pong() {
        return new Answer(200, MAPPER.createObjectNode().put("pong", true));
    }

    /** 202: nothing to do, with a code and a sentence saying why. */
    static Answer ignored(String delivery, String code, String detail) {
        return new Answer(202, MAPPER.createObjectNode().put("delivery", delivery).put("ignored", code).put("detail", detail));
    }

    /** 202: the work goes on after the answer. */
    static Answer accepted(String delivery) {
        return new Answer(202, MAPPER.createObjectNode().put("delivery", delivery).put("accepted", true));
    }

    static Answer error(int status, String code, String message) {
        return new Answer(status, MAPPER.createObjectNode().put("error", code).put("message", message));
    }

    /** Whether this answer is final and can be replayed to a redelivery. */
    boolean recordable() {
        return status == 202 && !body.has("accepted");
    }
}
