package dev.gitops.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A reference path: a JSONPath that names exactly one node ({@code $}, {@code $.a.b}, {@code $['a b'][0]}), as
 * ResultPath requires. It can be written to: missing objects on the way are created.
 */
public final class ReferencePath {
    private final String text;
    private final List<Object> segments; // String field names or Integer indexes

    private ReferencePath(String text, List<Object> segments) {
        this.text = text;
        this.segments = segments;
    }

    public String text() {
        return text;
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** Parses a reference path, throwing IllegalArgumentException with the problem. */
    public static ReferencePath parse(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("a reference path must start with '$'");
        }
        if (text.startsWith("$$")) {
            throw new IllegalArgumentException("a reference path cannot point into the context object ('$$')");
        }
        List<Object> segments = new ArrayList<>();
        int i = 1;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < n && text.charAt(i) != '.' && text.charAt(i) != '[') {
                    char f = text.charAt(i);
                    if (f == '*' || f == '@' || f == '?' || f == ':' || f == '(' || f == ')' || f == ',' || Character.isWhitespace(f)) {
                        throw new IllegalArgumentException("'" + text + "' is not a reference path: '" + f
                                + "' selects more than one node or is not allowed here");
                    }
                    i++;
                }
                if (i == start) {
                    throw new IllegalArgumentException("'" + text + "' is not a reference path: empty field name or '..'");
                }
                segments.add(text.substring(start, i));
            } else if (c == '[') {
                int close;
                if (i + 1 < n && (text.charAt(i + 1) == '\'' || text.charAt(i + 1) == '"')) {
                    char quote = text.charAt(i + 1);
                    StringBuilder field = new StringBuilder();
                    int j = i + 2;
                    while (j < n && text.charAt(j) != quote) {
                        if (text.charAt(j) == '\\' && j + 1 < n) {
                            j++;
                        }
                        field.append(text.charAt(j++));
                    }
                    if (j + 1 >= n || text.charAt(j + 1) != ']') {
                        throw new IllegalArgumentException("'" + text + "' is not a reference path: unclosed bracket");
                    }
                    segments.add(field.toString());
                    close = j + 1;
                } else {
                    close = text.indexOf(']', i);
                    if (close < 0) {
                        throw new IllegalArgumentException("'" + text + "' is not a reference path: unclosed bracket");
                    }
                    String index = text.substring(i + 1, close).trim();
                    if (!index.matches("\\d+")) {
                        throw new IllegalArgumentException("'" + text + "' is not a reference path: [" + index
                                + "] is not a single array index");
                    }
                    segments.add(Integer.parseInt(index));
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("'" + text + "' is not a reference path: unexpected '" + c + "'");
            }
        }
        return new ReferencePath(text, List.copyOf(segments));
    }

    /**
     * Returns a copy of {@code root} with {@code value} placed at this path (the value itself when the path is {@code $}).
     * Fails with States.ResultPathMatchFailure when the path runs through something that is not an object or array.
     */
    public JsonNode write(JsonNode root, JsonNode value) {
        if (segments.isEmpty()) {
            return value;
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            throw mismatch(root, "the state's input is " + Json.typeName(root) + ", not an object");
        }
        JsonNode copy = root.deepCopy();
        JsonNode current = copy;
        for (int s = 0; s < segments.size(); s++) {
            Object segment = segments.get(s);
            boolean last = s == segments.size() - 1;
            if (segment instanceof String field) {
                if (!current.isObject()) {
                    throw mismatch(root, "'" + field + "' is looked up in " + Json.typeName(current) + ", not an object");
                }
                ObjectNode object = (ObjectNode) current;
                if (last) {
                    object.set(field, value);
                } else {
                    JsonNode next = object.get(field);
                    if (next == null || next.isNull()) {
                        next = segments.get(s + 1) instanceof Integer ? Json.NODES.arrayNode() : Json.object();
                        object.set(field, next);
                    }
                    current = next;
                }
            } else {
                int index = (Integer) segment;
                if (!current.isArray() || index >= current.size()) {
                    throw mismatch(root, "index [" + index + "] does not exist in " + Json.typeName(current));
                }
                ArrayNode array = (ArrayNode) current;
                if (last) {
                    array.set(index, value);
                } else {
                    current = array.get(index);
                }
            }
        }
        return copy;
    }

    private StatesException mismatch(JsonNode root, String why) {
        return new StatesException(StatesErrors.RESULT_PATH_MATCH_FAILURE,
                "Unable to apply ResultPath \"" + text + "\" to input " + Json.abbreviate(root) + ": " + why + ".");
    }

    @Override
    public String toString() {
        return text;
    }
}
