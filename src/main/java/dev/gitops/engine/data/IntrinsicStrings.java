package dev.gitops.engine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.data.IntrinsicArg.Text;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The intrinsic functions on strings and JSON texts: Format, StringToJson, JsonToString, StringSplit and JsonMerge. */
final class IntrinsicStrings {
    private IntrinsicStrings() {
    }

    /** "2 '{}' placeholders but 1 value to fill them": how a States.Format template and its values disagree. */
    static String placeholderMismatch(int placeholders, int values) {
        return placeholders + (placeholders == 1 ? " '{}' placeholder" : " '{}' placeholders") + " but " + values
                + (values == 1 ? " value" : " values") + " to fill them";
    }

    static JsonNode format(IntrinsicArgs args) {
        String template = args.text(0);
        List<String> pieces = args.call().args().get(0) instanceof Text quoted ? quoted.pieces() : pieces(template);
        int placeholders = pieces.size() - 1;
        if (placeholders != args.size() - 1) {
            throw args.failure("the template has " + placeholderMismatch(placeholders, args.size() - 1));
        }
        StringBuilder out = new StringBuilder(pieces.get(0));
        for (int i = 1; i < pieces.size(); i++) {
            render(args.get(i), out);
            out.append(pieces.get(i));
        }
        return Json.NODES.textNode(out.toString());
    }

    private static List<String> pieces(String template) {
        List<String> pieces = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = template.indexOf("{}", from)) >= 0) {
            pieces.add(template.substring(from, at));
            from = at + 2;
        }
        pieces.add(template.substring(from));
        return pieces;
    }

    /** Strings as they are; objects and arrays as Step Functions renders them ({@code {a=1, b=[x, y]}}); the rest as JSON. */
    private static void render(JsonNode value, StringBuilder out) {
        if (value.isTextual()) {
            out.append(value.textValue());
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                render(value.get(i), out);
            }
            out.append(']');
        } else if (value.isObject()) {
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = value.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.append(field.getKey()).append('=');
                render(field.getValue(), out);
                if (fields.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else {
            out.append(Json.write(value));
        }
    }

    static JsonNode stringToJson(IntrinsicArgs args) {
        String text = args.text(0);
        if (text.isBlank()) {
            return Json.NODES.nullNode();
        }
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw args.failure("the argument is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static JsonNode jsonToString(IntrinsicArgs args) {
        return Json.NODES.textNode(Json.write(args.get(0)));
    }

    static JsonNode split(IntrinsicArgs args) {
        String text = args.text(0);
        String delimiters = args.text(1);
        Set<Integer> separators = new LinkedHashSet<>();
        delimiters.codePoints().forEach(separators::add);
        ArrayNode parts = Json.NODES.arrayNode();
        StringBuilder part = new StringBuilder();
        text.codePoints().forEach(codePoint -> {
            if (separators.contains(codePoint)) {
                if (part.length() > 0) {
                    parts.add(part.toString());
                    part.setLength(0);
                }
            } else {
                part.appendCodePoint(codePoint);
            }
        });
        if (part.length() > 0) {
            parts.add(part.toString());
        }
        return parts;
    }

    static JsonNode jsonMerge(IntrinsicArgs args) {
        ObjectNode left = args.object(0);
        ObjectNode right = args.object(1);
        JsonNode deep = args.get(2);
        if (!deep.isBoolean()) {
            throw args.failure("the third argument must be the boolean false, but it is " + IntrinsicArgs.describe(deep));
        }
        if (deep.booleanValue()) {
            throw args.failure("Step Functions supports only shallow merging, so the third argument must be false");
        }
        ObjectNode merged = Json.object();
        merged.setAll(left);
        merged.setAll(right);
        return merged;
    }
}
