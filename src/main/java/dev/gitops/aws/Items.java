package dev.gitops.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.util.Map;

/** Reading the controller's own DynamoDB items: string attributes, and string attributes that hold JSON. */
public final class Items {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Items() {
    }

    /** A string attribute, or null when the item has none. */
    public static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** A string attribute holding JSON: null when absent, an empty object when it is not JSON. */
    public static JsonNode json(Map<String, AttributeValue> item, String name) {
        String text = string(item, name);
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }
}
