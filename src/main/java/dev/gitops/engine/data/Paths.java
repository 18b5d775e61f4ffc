package dev.gitops.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSONPath as Amazon States Language uses it: {@code $...} reads the state's data, {@code $$...} reads the context
 * object. Plain paths of names and indexes ({@code $.a.b}, {@code $.items[0].id}) are walked directly; everything
 * else (wildcards, filters, slices, functions) goes through Jayway JsonPath. Compiled paths are cached.
 */
public final class Paths {
    private static final Configuration CONFIGURATION = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
            .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
            .build();
    private static final Map<String, Compiled> COMPILED = new ConcurrentHashMap<>();

    private Paths() {
    }

    public static boolean isContextPath(String path) {
        return path.startsWith("$$");
    }

    /** Null when the text is a valid path ({@code $...} or {@code $$...}), else a sentence naming the problem. */
    public static String problem(String path) {
        if (path == null || !path.startsWith("$")) {
            return "a path must start with '$'";
        }
        String expression = isContextPath(path) ? path.substring(1) : path;
        if (!balanced(expression)) {
            return "'" + path + "' is not a valid JSONPath: unbalanced brackets or quotes";
        }
        try {
            JsonPath.compile(expression);
            return null;
        } catch (InvalidPathException | IllegalArgumentException e) {
            return "'" + path + "' is not a valid JSONPath: " + e.getMessage();
        }
    }

    /** Reads a path against the state's data ({@code $}) or the context object ({@code $$}); null when nothing is there. */
    public static JsonNode read(String path, JsonNode data, JsonNode context) {
        return compile(path).read(data, context);
    }

    /** A parsed path, for callers that read the same path many times. Expects a path {@link #problem} accepts. */
    public static Compiled compile(String path) {
        Compiled compiled = COMPILED.get(path);
        if (compiled == null) {
            compiled = new Compiled(path);
            if (COMPILED.size() < 10_000) {
                COMPILED.put(path, compiled);
            }
        }
        return compiled;
    }

    /** A compiled path. */
    public static final class Compiled {
        private final String text;
        private final boolean context;
        /** For plain paths: one step per entry, a property name or null for the index at the same position. */
        private final String[] keys;
        private final int[] indexes;
        private final JsonPath jayway;

        private Compiled(String text) {
            this.text = text;
            this.context = isContextPath(text);
            String expression = context ? text.substring(1) : text;
            List<String> keyList = new ArrayList<>();
            List<Integer> indexList = new ArrayList<>();
            if (plainSteps(expression, keyList, indexList)) {
                keys = keyList.toArray(String[]::new);
                indexes = indexList.stream().mapToInt(Integer::intValue).toArray();
                jayway = null;
            } else {
                keys = null;
                indexes = null;
                jayway = JsonPath.compile(expression);
            }
        }

        public String text() {
            return text;
        }

        /** The value at this path, or null when nothing is there (a missing field, an index past the end). */
        public JsonNode read(JsonNode data, JsonNode contextObject) {
            JsonNode node = context ? contextObject : data;
            if (keys != null) {
                for (int i = 0; i < keys.length && node != null; i++) {
                    String key = keys[i];
                    node = key != null ? (node.isObject() ? node.get(key) : null)
                            : (node.isArray() ? node.get(indexes[i]) : null);
                }
                return node == null || node.isMissingNode() ? null : node;
            }
            if (node == null) {
                return null;
            }
            try {
                Object value = jayway.read(node, CONFIGURATION);
                if (value == null) {
                    return null;
                }
                return value instanceof JsonNode json ? json : Json.MAPPER.valueToTree(value);
            } catch (InvalidPathException | IllegalArgumentException | ClassCastException e) {
                return null;
            }
        }
    }

    private static boolean plainSteps(String expression, List<String> keys, List<Integer> indexes) {
        if (!expression.startsWith("$")) {
            return false;
        }
        int position = 1;
        int length = expression.length();
        while (position < length) {
            char c = expression.charAt(position);
            if (c == '.') {
                int start = ++position;
                while (position < length && isNameChar(expression.charAt(position), position == start)) {
                    position++;
                }
                if (position == start) {
                    return false;
                }
                keys.add(expression.substring(start, position));
                indexes.add(-1);
            } else if (c == '[') {
                int start = ++position;
                while (position < length && expression.charAt(position) >= '0' && expression.charAt(position) <= '9') {
                    position++;
                }
                if (position == start || position - start > 9 || position >= length || expression.charAt(position) != ']') {
                    return false;
                }
                keys.add(null);
                indexes.add(Integer.parseInt(expression, start, position, 10));
                position++;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
    }

    private static boolean balanced(String expression) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || c == ')') {
                if (--depth < 0) {
                    return false;
                }
            }
        }
        return depth == 0 && quote == 0;
    }
}
