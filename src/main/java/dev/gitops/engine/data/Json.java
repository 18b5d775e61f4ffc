package dev.gitops.engine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The engine's one JSON mapper and the few operations every part of the engine needs. */
public final class Json {
    /** Step Functions' payload quota: 256 KiB of UTF-8. */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    public static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

    private Json() {
    }

    /** Parses JSON text; throws {@link JsonProcessingException} with Jackson's description of the problem. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(text);
        if (node == null || node.isMissingNode()) {
            throw new com.fasterxml.jackson.core.JsonParseException(null, "No content: an empty text is not JSON");
        }
        return node;
    }

    /** Parses JSON text the engine wrote itself (a journal, a stored definition): a failure is a bug, not bad input. */
    public static JsonNode parseTrusted(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static int utf8Length(String text) {
        int length = text.length();
        // Fast path: ASCII counts one byte per char.
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return text.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return length;
    }

    /** Fails with States.DataLimitExceeded when the serialized payload is over 256 KiB. */
    public static String checkedPayload(JsonNode node, String what) {
        String text = write(node);
        if (text.length() > MAX_PAYLOAD_BYTES / 4 && utf8Length(text) > MAX_PAYLOAD_BYTES) {
            throw new StatesException(StatesErrors.DATA_LIMIT_EXCEEDED,
                    "The " + what + " has " + utf8Length(text) + " bytes, over the 262144-byte limit of Step Functions payloads.");
        }
        return text;
    }

    /** A short rendering of a value for error messages. */
    public static String abbreviate(JsonNode node) {
        String text = node == null ? "null" : write(node);
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }

    public static String typeName(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        return switch (node.getNodeType()) {
            case OBJECT -> "object";
            case ARRAY -> "array";
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }
}
