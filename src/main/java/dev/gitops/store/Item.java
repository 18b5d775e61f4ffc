package dev.gitops.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.runtime.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One of the controller's DynamoDB items, read and written attribute by attribute, for the stores that map their item
 * type in one place (the writes themselves stay the stores' own conditional calls). Times are ISO-8601 strings, or
 * epoch seconds where DynamoDB's TTL or a condition compares them; structured values are JSON strings.
 */
public final class Item {
    private final Map<String, AttributeValue> values;

    private Item(Map<String, AttributeValue> values) {
        this.values = values;
    }

    public static Item of(Map<String, AttributeValue> values) {
        return new Item(values == null ? Map.of() : values);
    }

    public static Item empty() {
        return new Item(new HashMap<>());
    }

    public Map<String, AttributeValue> values() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A string attribute, or null when the item has none. */
    public String string(String name) {
        AttributeValue value = values.get(name);
        return value == null ? null : value.s();
    }

    /** An ISO-8601 string attribute as a time, or null. */
    public Instant instant(String name) {
        String text = string(name);
        return text == null ? null : Instant.parse(text);
    }

    /** A number attribute of epoch seconds as a time, or null. */
    public Instant epochSeconds(String name) {
        AttributeValue value = values.get(name);
        return value == null || value.n() == null ? null : Instant.ofEpochSecond(Long.parseLong(value.n()));
    }

    /** A string attribute holding JSON, as {@code type}: null when absent, {@code "null"} or not readable as such. */
    public <T> T json(String name, Class<T> type, ObjectMapper mapper) {
        return Json.readOrNull(mapper, string(name), type);
    }

    public Item put(String name, String value) {
        values.put(name, AttributeValue.fromS(value));
        return this;
    }

    public Item put(String name, Instant time) {
        return put(name, time.toString());
    }

    public Item putEpochSeconds(String name, Instant time) {
        values.put(name, AttributeValue.fromN(Long.toString(time.getEpochSecond())));
        return this;
    }

    /** {@code value} as a JSON string ({@code "null"} for none). */
    public Item putJson(String name, Object value, ObjectMapper mapper) {
        try {
            return put(name, mapper.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + name + " as JSON", e);
        }
    }
}
