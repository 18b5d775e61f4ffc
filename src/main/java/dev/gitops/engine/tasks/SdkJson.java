package dev.gitops.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.data.Json;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.SdkBuilder;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between the JSON of an AWS API's wire format (what Step Functions' optimized integrations take as Parameters
 * and return as results) and AWS SDK for Java v2 model objects, by walking each model's {@link SdkPojo#sdkFields()}.
 * A member's JSON name is its wire name (its location name in the payload, its member name elsewhere); blobs are base64
 * text and timestamps epoch seconds, as in the JSON protocols. A JSON {@code null} member counts as absent.
 *
 * <p>Malformed input fails with an {@link IllegalArgumentException} whose message names the offending field by its
 * path ({@code Item.id.SS[1]}) and, for an unknown field, the fields that are allowed there.
 */
public final class SdkJson {
    private static final JsonNodeFactory NODES = Json.NODES;

    private SdkJson() {
    }

    /**
     * Builds a model object from its wire JSON, e.g. {@code fromJson(parameters, PutItemRequest.builder())}.
     *
     * @throws IllegalArgumentException naming the field when the JSON does not fit the model
     */
    public static <T extends SdkPojo, B extends SdkPojo & SdkBuilder<B, T>> T fromJson(JsonNode json, B builder) {
        fill(json, builder, "");
        return builder.build();
    }

    /** The wire JSON of a model object: members that are null or the SDK's auto-constructed empty lists and maps are left out. */
    public static ObjectNode toJson(SdkPojo pojo) {
        ObjectNode out = NODES.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap) {
                continue;
            }
            out.set(wireName(field), write(field, value));
        }
        return out;
    }

    private static String wireName(SdkField<?> field) {
        return field.location() == MarshallLocation.PAYLOAD && field.locationName() != null ? field.locationName() : field.memberName();
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static void fill(JsonNode json, SdkPojo builder, String path) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(path.isEmpty()
                    ? "The parameters must be a JSON object, not " + describe(json)
                    : mustBe(path, "an OBJECT", json));
        }
        Map<String, SdkField<?>> fields = new LinkedHashMap<>();
        for (SdkField<?> field : builder.sdkFields()) {
            fields.put(wireName(field), field);
        }
        for (Map.Entry<String, JsonNode> member : json.properties()) {
            String name = member.getKey();
            SdkField<?> field = fields.get(name);
            String fieldPath = child(path, name);
            if (field == null) {
                throw new IllegalArgumentException("The field \"" + fieldPath + "\" is not supported; the fields allowed "
                        + (path.isEmpty() ? "here" : "in '" + path + "'") + " are "
                        + String.join(", ", fields.keySet()));
            }
            if (member.getValue().isNull()) {
                continue;
            }
            field.set(builder, read(field, member.getValue(), fieldPath));
        }
    }

    private static Object read(SdkField<?> field, JsonNode json, String path) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.STRING) {
            if (!json.isTextual()) {
                throw new IllegalArgumentException(mustBe(path, "a STRING", json));
            }
            return json.textValue();
        }
        if (type == MarshallingType.BOOLEAN) {
            if (!json.isBoolean()) {
                throw new IllegalArgumentException(mustBe(path, "a BOOLEAN", json));
            }
            return json.booleanValue();
        }
        if (type == MarshallingType.INTEGER) {
            return integral(json, path, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
        }
        if (type == MarshallingType.LONG) {
            return integral(json, path, Long.MIN_VALUE, Long.MAX_VALUE).longValue();
        }
        if (type == MarshallingType.SHORT) {
            return integral(json, path, Short.MIN_VALUE, Short.MAX_VALUE).shortValue();
        }
        if (type == MarshallingType.BYTE) {
            return integral(json, path, Byte.MIN_VALUE, Byte.MAX_VALUE).byteValue();
        }
        if (type == MarshallingType.DOUBLE) {
            return number(json, path).doubleValue();
        }
        if (type == MarshallingType.FLOAT) {
            return number(json, path).floatValue();
        }
        if (type == MarshallingType.BIG_DECIMAL) {
            return number(json, path);
        }
        if (type == MarshallingType.SDK_BYTES) {
            if (!json.isTextual()) {
                throw new IllegalArgumentException(mustBe(path, "a STRING of base64 text", json));
            }
            try {
                return SdkBytes.fromByteArray(Base64.getMimeDecoder().decode(json.textValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The value for the field '" + path + "' must be base64 text: " + e.getMessage());
            }
        }
        if (type == MarshallingType.INSTANT) {
            BigDecimal seconds = number(json, path);
            try {
                return Instant.ofEpochSecond(seconds.longValue(),
                        seconds.subtract(new BigDecimal(seconds.toBigInteger())).movePointRight(9).longValue());
            } catch (DateTimeException | ArithmeticException e) {
                throw new IllegalArgumentException("The value for the field '" + path + "' is not a timestamp in epoch seconds: " + json);
            }
        }
        if (type == MarshallingType.LIST) {
            if (!json.isArray()) {
                throw new IllegalArgumentException(mustBe(path, "an ARRAY", json));
            }
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            List<Object> list = new ArrayList<>(json.size());
            for (int i = 0; i < json.size(); i++) {
                String itemPath = path + "[" + i + "]";
                if (json.get(i).isNull()) {
                    throw new IllegalArgumentException("The value for the field '" + itemPath + "' must not be null");
                }
                list.add(read(member, json.get(i), itemPath));
            }
            return list;
        }
        if (type == MarshallingType.MAP) {
            if (!json.isObject()) {
                throw new IllegalArgumentException(mustBe(path, "an OBJECT", json));
            }
            SdkField<?> value = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : json.properties()) {
                String entryPath = child(path, entry.getKey());
                if (entry.getValue().isNull()) {
                    throw new IllegalArgumentException("The value for the field '" + entryPath + "' must not be null");
                }
                map.put(entry.getKey(), read(value, entry.getValue(), entryPath));
            }
            return map;
        }
        if (type == MarshallingType.SDK_POJO) {
            SdkPojo builder = field.constructor().get();
            fill(json, builder, path);
            return ((SdkBuilder<?, ?>) builder).build();
        }
        if (type == MarshallingType.DOCUMENT) {
            return document(json);
        }
        throw new IllegalArgumentException("The field '" + path + "' has a type (" + type + ") that cannot be given as JSON");
    }

    private static BigDecimal number(JsonNode json, String path) {
        if (!json.isNumber()) {
            throw new IllegalArgumentException(mustBe(path, "a NUMBER", json));
        }
        return json.decimalValue();
    }

    private static BigInteger integral(JsonNode json, String path, long min, long max) {
        BigDecimal value = number(json, path);
        BigInteger integer;
        try {
            integer = value.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(mustBe(path, "an INTEGER", json));
        }
        if (integer.compareTo(BigInteger.valueOf(min)) < 0 || integer.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException("The value for the field '" + path + "' must be between " + min + " and "
                    + max + ", not " + json);
        }
        return integer;
    }

    private static Document document(JsonNode json) {
        if (json.isObject()) {
            Map<String, Document> map = new LinkedHashMap<>();
            json.properties().forEach(e -> map.put(e.getKey(), document(e.getValue())));
            return Document.fromMap(map);
        }
        if (json.isArray()) {
            List<Document> list = new ArrayList<>();
            json.forEach(e -> list.add(document(e)));
            return Document.fromList(list);
        }
        if (json.isTextual()) {
            return Document.fromString(json.textValue());
        }
        if (json.isBoolean()) {
            return Document.fromBoolean(json.booleanValue());
        }
        if (json.isNumber()) {
            return Document.fromNumber(SdkNumber.fromBigDecimal(json.decimalValue()));
        }
        return Document.fromNull();
    }

    private static String mustBe(String path, String what, JsonNode json) {
        return "The value for the field '" + path + "' must be " + what + ", not " + describe(json);
    }

    private static String describe(JsonNode json) {
        if (json == null || json.isMissingNode()) {
            return "missing";
        }
        String text = json.toString();
        return json.getNodeType().name() + " " + (text.length() <= 60 ? text : text.substring(0, 57) + "...");
    }

    private static JsonNode write(SdkField<?> field, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            ArrayNode array = NODES.arrayNode();
            for (Object item : (List<?>) value) {
                array.add(write(member, item));
            }
            return array;
        }
        if (type == MarshallingType.MAP) {
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                object.set(String.valueOf(entry.getKey()), write(member, entry.getValue()));
            }
            return object;
        }
        if (type == MarshallingType.SDK_POJO) {
            return toJson((SdkPojo) value);
        }
        if (type == MarshallingType.SDK_BYTES) {
            return NODES.textNode(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArrayUnsafe()));
        }
        if (type == MarshallingType.INSTANT) {
            Instant instant = (Instant) value;
            BigDecimal seconds = BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9))
                    .stripTrailingZeros();
            return NODES.numberNode(seconds.scale() < 0 ? seconds.setScale(0) : seconds);
        }
        if (type == MarshallingType.DOCUMENT) {
            return document((Document) value);
        }
        return scalar(value);
    }

    private static JsonNode scalar(Object value) {
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Short s) {
            return NODES.numberNode(s);
        }
        if (value instanceof Byte b) {
            return NODES.numberNode(b);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        return NODES.textNode(String.valueOf(value));
    }

    private static JsonNode document(Document document) {
        if (document.isMap()) {
            ObjectNode object = NODES.objectNode();
            document.asMap().forEach((k, v) -> object.set(k, document(v)));
            return object;
        }
        if (document.isList()) {
            ArrayNode array = NODES.arrayNode();
            document.asList().forEach(v -> array.add(document(v)));
            return array;
        }
        if (document.isString()) {
            return NODES.textNode(document.asString());
        }
        if (document.isBoolean()) {
            return NODES.booleanNode(document.asBoolean());
        }
        if (document.isNumber()) {
            return NODES.numberNode(document.asNumber().bigDecimalValue());
        }
        return NODES.nullNode();
    }
}
