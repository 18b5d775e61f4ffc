package dev.gitops.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The intrinsic functions on arrays: Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength and
 * ArrayUnique. Elements compare as JSON values: numbers by value, objects regardless of field order.
 */
final class IntrinsicArrays {
    private static final int MAX_RANGE_ELEMENTS = 1000;

    private IntrinsicArrays() {
    }

    static JsonNode array(IntrinsicArgs args) {
        return Json.NODES.arrayNode(args.size()).addAll(args.values());
    }

    static JsonNode partition(IntrinsicArgs args) {
        ArrayNode array = args.array(0);
        long size = args.rounded(1);
        if (size <= 0) {
            throw args.failure("the chunk size must be a positive integer, but it is " + args.get(1).asText());
        }
        ArrayNode chunks = Json.NODES.arrayNode();
        for (int start = 0; start < array.size(); start += (int) Math.min(size, array.size())) {
            int end = (int) Math.min(array.size(), start + size);
            ArrayNode chunk = Json.NODES.arrayNode(end - start);
            for (int i = start; i < end; i++) {
                chunk.add(array.get(i));
            }
            chunks.add(chunk);
        }
        return chunks;
    }

    static JsonNode contains(IntrinsicArgs args) {
        ArrayNode array = args.array(0);
        String wanted = canonical(args.get(1));
        for (JsonNode element : array) {
            if (canonical(element).equals(wanted)) {
                return Json.NODES.booleanNode(true);
            }
        }
        return Json.NODES.booleanNode(false);
    }

    static JsonNode range(IntrinsicArgs args) {
        long start = args.roundedInt(0);
        long end = args.roundedInt(1);
        long step = args.roundedInt(2);
        if (step == 0) {
            throw args.failure("the step (the third argument) must not be 0");
        }
        long count = (step > 0 ? start > end : start < end) ? 0 : (end - start) / step + 1;
        if (count > MAX_RANGE_ELEMENTS) {
            throw args.failure("the range from " + start + " to " + end + " in steps of " + step + " has " + count
                    + " elements, more than the " + MAX_RANGE_ELEMENTS + " allowed");
        }
        ArrayNode range = Json.NODES.arrayNode((int) count);
        for (long i = 0; i < count; i++) {
            range.add((int) (start + i * step));
        }
        return range;
    }

    static JsonNode getItem(IntrinsicArgs args) {
        ArrayNode array = args.array(0);
        long index = args.integer(1);
        if (index < 0 || index >= array.size()) {
            throw args.failure("index " + index + " is out of range for an array of " + array.size()
                    + (array.size() == 1 ? " element" : " elements"));
        }
        return array.get((int) index);
    }

    static JsonNode length(IntrinsicArgs args) {
        return Json.NODES.numberNode(args.array(0).size());
    }

    static JsonNode unique(IntrinsicArgs args) {
        ArrayNode array = args.array(0);
        Set<String> seen = new HashSet<>();
        ArrayNode unique = Json.NODES.arrayNode();
        for (JsonNode element : array) {
            if (seen.add(canonical(element))) {
                unique.add(element);
            }
        }
        return unique;
    }

    /** A text equal for equal JSON values: numbers compare by value, objects regardless of field order. */
    private static String canonical(JsonNode value) {
        StringBuilder out = new StringBuilder();
        canonical(value, out);
        return out.toString();
    }

    private static void canonical(JsonNode value, StringBuilder out) {
        switch (value.getNodeType()) {
            case NUMBER -> out.append('n').append(value.decimalValue().stripTrailingZeros()).append(';');
            case STRING -> out.append('s').append(value.textValue().length()).append(':').append(value.textValue());
            case BOOLEAN -> out.append(value.booleanValue() ? 't' : 'f');
            case ARRAY -> {
                out.append('[');
                for (JsonNode element : value) {
                    canonical(element, out);
                }
                out.append(']');
            }
            case OBJECT -> {
                Map<String, JsonNode> sorted = new TreeMap<>();
                value.properties().forEach(field -> sorted.put(field.getKey(), field.getValue()));
                out.append('{');
                for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
                    out.append(field.getKey().length()).append(':').append(field.getKey());
                    canonical(field.getValue(), out);
                }
                out.append('}');
            }
            default -> out.append('z');
        }
    }
}
