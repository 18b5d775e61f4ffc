package dev.gitops.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Parameters and ResultSelector: a JSON template whose fields ending in {@code .$} take their value from a path into
 * the data ({@code $...}), the context object ({@code $$...}) or an intrinsic function ({@code States.Format(...)}).
 */
public final class PayloadTemplate {
    private PayloadTemplate() {
    }

    public static JsonNode evaluate(JsonNode template, JsonNode data, JsonNode context) {
        if (template.isObject()) {
            ObjectNode result = Json.object();
            Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                if (name.endsWith(".$") && field.getValue().isTextual()) {
                    result.set(name.substring(0, name.length() - 2), expression(name, field.getValue().asText(), data, context));
                } else {
                    result.set(name, evaluate(field.getValue(), data, context));
                }
            }
            return result;
        }
        if (template.isArray()) {
            ArrayNode result = Json.NODES.arrayNode(template.size());
            for (JsonNode element : template) {
                result.add(evaluate(element, data, context));
            }
            return result;
        }
        return template;
    }

    private static JsonNode expression(String field, String expression, JsonNode data, JsonNode context) {
        if (Intrinsics.isIntrinsic(expression)) {
            return Intrinsics.evaluate(expression, data, context);
        }
        JsonNode value = Paths.read(expression, data, context);
        if (value == null) {
            throw new StatesException(StatesErrors.PARAMETER_PATH_FAILURE, "The JSONPath '" + expression
                    + "' specified for the field '" + field + "' could not be found in the "
                    + (Paths.isContextPath(expression) ? "context object" : "input") + " '"
                    + Json.abbreviate(Paths.isContextPath(expression) ? context : data) + "'");
        }
        return value;
    }

    /** Problems with a template in a definition, each with its JSON pointer. */
    public static List<String> problems(JsonNode template, String pointer) {
        List<String> problems = new ArrayList<>();
        collect(template, pointer, problems);
        return problems;
    }

    private static void collect(JsonNode template, String pointer, List<String> problems) {
        if (template.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                String at = pointer + "/" + name;
                if (name.endsWith(".$")) {
                    if (!field.getValue().isTextual()) {
                        problems.add("The value for the field '" + name + "' must be a STRING that contains a JSONPath"
                                + " or an intrinsic function at " + at);
                        continue;
                    }
                    String expression = field.getValue().asText();
                    String problem = Intrinsics.isIntrinsic(expression) ? Intrinsics.problem(expression) : Paths.problem(expression);
                    if (problem != null) {
                        problems.add("The value for the field '" + name + "' must be a valid JSONPath or a valid intrinsic"
                                + " function call (" + problem + ") at " + at);
                    }
                } else {
                    collect(field.getValue(), at, problems);
                }
            }
        } else if (template.isArray()) {
            for (int i = 0; i < template.size(); i++) {
                collect(template.get(i), pointer + "/" + i, problems);
            }
        }
    }
}
