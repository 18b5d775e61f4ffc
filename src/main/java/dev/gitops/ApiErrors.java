package dev.gitops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;

/** The API's error answers: {@code {"error": "<code>", "message": "<sentence>"}}, as the webhook's. */
public final class ApiErrors {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiErrors() {
    }

    public static HttpResponse<ObjectNode> error(int status, String code, String message) {
        return HttpResponse.<ObjectNode>status(HttpStatus.valueOf(status))
                .body(MAPPER.createObjectNode().put("error", code).put("message", message));
    }

    /** A list answer: {@code {"items": [...], "nextToken"}}. */
    public static ObjectNode list(Iterable<? extends com.fasterxml.jackson.databind.JsonNode> items, String nextToken) {
        ObjectNode body = MAPPER.createObjectNode();
        var array = body.putArray("items");
        items.forEach(array::add);
        body.put("nextToken", nextToken);
        return body;
    }
}
