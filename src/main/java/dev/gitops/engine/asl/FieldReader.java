package dev.gitops.engine.asl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.PayloadTemplate;
import dev.gitops.engine.data.Paths;
import dev.gitops.engine.data.ReferencePath;
import dev.gitops.engine.data.StatesErrors;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.gitops.engine.asl.DefinitionParser.SCHEMA;
import static dev.gitops.engine.asl.DefinitionParser.UNSUPPORTED;

/**
 * Reads the fields of one definition for {@link DefinitionParser}: each reader checks a field's type and form and
 * records every problem it finds (with its JSON pointer) instead of stopping at the first.
 */
final class FieldReader {
    private static final Map<String, String> REFUSED_FIELDS = Map.of(
            "Assign", "Variables ('Assign') are not supported by the embedded engine",
            "Arguments", "'Arguments' belongs to the JSONata query language, which the embedded engine does not support",
            "Output", "'Output' belongs to the JSONata query language, which the embedded engine does not support",
            "Credentials", "Cross-account task 'Credentials' are not supported by the embedded engine");
    private static final Set<String> RETRY_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
            "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCH_FIELDS = Set.of("ErrorEquals", "Next", "ResultPath", "Comment");

    final List<Diagnostic> problems = new ArrayList<>();

    List<Retrier> retriers(JsonNode node, String at) {
        JsonNode retry = node.get("Retry");
        if (retry == null) {
            return List.of();
        }
        if (!retry.isArray()) {
            schema("The field 'Retry' must be an ARRAY", at + "/Retry");
            return List.of();
        }
        List<Retrier> result = new ArrayList<>();
        for (int i = 0; i < retry.size(); i++) {
            String rAt = at + "/Retry/" + i;
            JsonNode r = retry.get(i);
            if (!r.isObject()) {
                schema("A Retrier must be an OBJECT", rAt);
                continue;
            }
            unknownFields(r, RETRY_FIELDS, rAt);
            List<String> errors = errorEquals(r, rAt, i == retry.size() - 1);
            Integer interval = positiveInt(r, "IntervalSeconds", rAt);
            Integer maxAttempts = nonNegativeInt(r, "MaxAttempts", rAt);
            Double backoff = null;
            if (r.has("BackoffRate")) {
                JsonNode b = r.get("BackoffRate");
                if (!b.isNumber() || b.asDouble() < 1.0) {
                    schema("The field 'BackoffRate' must be a NUMBER greater than or equal to 1.0", rAt + "/BackoffRate");
                } else {
                    backoff = b.asDouble();
                }
            }
            Integer maxDelay = positiveInt(r, "MaxDelaySeconds", rAt);
            Retrier.Jitter jitter = Retrier.Jitter.NONE;
            if (r.has("JitterStrategy")) {
                String j = r.get("JitterStrategy").asText();
                if (!r.get("JitterStrategy").isTextual() || !(j.equals("FULL") || j.equals("NONE"))) {
                    schema("The field 'JitterStrategy' should have one of these values: [FULL, NONE]", rAt + "/JitterStrategy");
                } else {
                    jitter = Retrier.Jitter.valueOf(j);
                }
            }
            result.add(new Retrier(errors, interval == null ? 1 : interval, maxAttempts == null ? 3 : maxAttempts,
                    backoff == null ? 2.0 : backoff, maxDelay, jitter));
        }
        return List.copyOf(result);
    }

    List<Catcher> catchers(JsonNode node, String at) {
        JsonNode catchNode = node.get("Catch");
        if (catchNode == null) {
            return List.of();
        }
        if (!catchNode.isArray()) {
            schema("The field 'Catch' must be an ARRAY", at + "/Catch");
            return List.of();
        }
        List<Catcher> result = new ArrayList<>();
        for (int i = 0; i < catchNode.size(); i++) {
            String cAt = at + "/Catch/" + i;
            JsonNode c = catchNode.get(i);
            if (!c.isObject()) {
                schema("A Catcher must be an OBJECT", cAt);
                continue;
            }
            unknownFields(c, CATCH_FIELDS, cAt);
            List<String> errors = errorEquals(c, cAt, i == catchNode.size() - 1);
            String next = requiredString(c, "Next", cAt);
            result.add(new Catcher(errors, next, resultSpec(c, "ResultPath", cAt)));
        }
        return List.copyOf(result);
    }

    List<String> errorEquals(JsonNode node, String at, boolean last) {
        JsonNode errors = node.get("ErrorEquals");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            schema("The field 'ErrorEquals' is required and must be a non-empty ARRAY of STRINGs", at + "/ErrorEquals");
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < errors.size(); i++) {
            JsonNode e = errors.get(i);
            if (!e.isTextual()) {
                schema("Error names must be STRINGs", at + "/ErrorEquals/" + i);
                continue;
            }
            String name = e.asText();
            if (name.startsWith("States.") && !StatesErrors.PREDEFINED.contains(name)) {
                schema("'" + name + "' is not a predefined error name; names starting with 'States.' are reserved",
                        at + "/ErrorEquals/" + i);
            }
            result.add(name);
        }
        if (result.contains(StatesErrors.ALL)) {
            if (result.size() > 1) {
                schema("'States.ALL' must appear alone in 'ErrorEquals'", at + "/ErrorEquals");
            }
            if (!last) {
                schema("A Retrier or Catcher with 'States.ALL' must be the last one", at);
            }
        }
        return List.copyOf(result);
    }

    String next(JsonNode node, String at) {
        boolean hasNext = node.has("Next");
        JsonNode end = node.get("End");
        boolean ends = end != null && end.isBoolean() && end.asBoolean();
        if (end != null && !end.isBoolean()) {
            schema("The field 'End' must be a BOOLEAN", at + "/End");
        }
        if (hasNext && ends) {
            schema("A state may have either 'Next' or 'End', not both", at);
        } else if (!hasNext && !ends) {
            schema("A state of this type must have either 'Next' or \"End\": true", at);
        }
        return hasNext ? requiredString(node, "Next", at) : null;
    }

    void queryLanguage(JsonNode node, String at) {
        JsonNode ql = node.get("QueryLanguage");
        if (ql == null) {
            return;
        }
        if ("JSONata".equals(ql.asText())) {
            refuse("The JSONata query language is not supported by the embedded engine; use JSONPath", at + "/QueryLanguage");
        } else if (!"JSONPath".equals(ql.asText())) {
            schema("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", at + "/QueryLanguage");
        }
    }

    void unknownFields(JsonNode node, Set<String> allowed, String at) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (allowed.contains(field)) {
                continue;
            }
            String refused = REFUSED_FIELDS.get(field);
            if (refused != null) {
                refuse(refused, at + "/" + field);
            } else {
                schema("Field '" + field + "' is not supported", at + "/" + field);
            }
        }
    }

    PathSpec pathSpec(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return PathSpec.ROOT;
        }
        if (value.isNull()) {
            return PathSpec.DISCARD;
        }
        String problem = value.isTextual() ? Paths.problem(value.asText()) : "it must be a STRING or null";
        if (problem != null) {
            schema("The value for the field '" + field + "' must be a valid JSONPath: " + problem, at + "/" + field);
            return PathSpec.ROOT;
        }
        return new PathSpec(value.asText());
    }

    ResultSpec resultSpec(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return ResultSpec.ROOT;
        }
        if (value.isNull()) {
            return ResultSpec.DISCARD;
        }
        if (!value.isTextual()) {
            schema("The value for the field '" + field + "' must be a STRING or null", at + "/" + field);
            return ResultSpec.ROOT;
        }
        try {
            return new ResultSpec(ReferencePath.parse(value.asText()));
        } catch (IllegalArgumentException e) {
            schema("The value for the field '" + field + "' must be a valid Reference Path: " + e.getMessage(), at + "/" + field);
            return ResultSpec.ROOT;
        }
    }

    JsonNode template(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            schema("The value for the field '" + field + "' must be an OBJECT", at + "/" + field);
            return null;
        }
        for (String problem : PayloadTemplate.problems(value, at + "/" + field)) {
            problems.add(diagnostic(SCHEMA, problem));
        }
        return value;
    }

    String optionalPath(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        String problem = value.isTextual() ? Paths.problem(value.asText()) : "it must be a STRING";
        if (problem != null) {
            schema("The value for the field '" + field + "' must be a valid JSONPath: " + problem, at + "/" + field);
            return null;
        }
        return value.asText();
    }

    String optionalPathOrIntrinsic(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value != null && value.isTextual() && value.asText().startsWith("States.")) {
            String problem = dev.gitops.engine.data.Intrinsics.problem(value.asText());
            if (problem != null) {
                schema("The value for the field '" + field + "' must be a valid intrinsic function call: " + problem,
                        at + "/" + field);
                return null;
            }
            return value.asText();
        }
        return optionalPath(node, field, at);
    }

    String requiredString(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            schema("The field '" + field + "' is required and must be a non-empty STRING", at + "/" + field);
            return null;
        }
        return value.asText();
    }

    String optionalString(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            schema("The field '" + field + "' must be a STRING", at + "/" + field);
            return null;
        }
        return value.asText();
    }

    Integer positiveInt(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() <= 0) {
            schema("The field '" + field + "' must be a positive INTEGER", at + "/" + field);
            return null;
        }
        return value.asInt();
    }

    Integer nonNegativeInt(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
            schema("The field '" + field + "' must be a non-negative INTEGER", at + "/" + field);
            return null;
        }
        return value.asInt();
    }

    void schema(String message, String at) {
        problems.add(new Diagnostic(SCHEMA, message, at));
    }

    static Diagnostic diagnostic(String code, String problemWithLocation) {
        int split = problemWithLocation.lastIndexOf(" at /");
        if (split < 0) {
            return new Diagnostic(code, problemWithLocation, "");
        }
        return new Diagnostic(code, problemWithLocation.substring(0, split), problemWithLocation.substring(split + 4));
    }

    void refuse(String message, String at) {
        problems.add(new Diagnostic(UNSUPPORTED, message, at));
    }
}
