package dev.gitops.aws;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SAM template as CloudFormation reads it ({@link CloudFormationYaml}), with what the checks ask of it: a function's
 * properties as SAM sees them (Globals merged in), the IAM statements of its policies (both branches of an
 * {@code Fn::If}), the parameters and resources a value refers to, and a policy rendered with sample values.
 */
final class SamTemplate {
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([^}!]+)}");

    final Map<String, Object> root;
    final Map<String, Object> resources;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
        this.resources = map(root.get("Resources"));
    }

    static SamTemplate read(Path template) throws IOException {
        return new SamTemplate(CloudFormationYaml.read(template));
    }

    /** Logical ids of the resources of this type, in template order. */
    List<String> ofType(String type) {
        return resources.entrySet().stream().filter(e -> type.equals(map(e.getValue()).get("Type"))).map(Map.Entry::getKey).toList();
    }

    Map<String, Object> properties(String logicalId) {
        return map(map(resources.get(logicalId)).get("Properties"));
    }

    /** A function's properties with {@code Globals.Function} merged in as SAM merges them (the function's own win). */
    Map<String, Object> function(String logicalId) {
        Map<String, Object> globals = map(map(root.getOrDefault("Globals", Map.of())).getOrDefault("Function", Map.of()));
        Map<String, Object> merged = new LinkedHashMap<>(globals);
        Map<String, Object> own = properties(logicalId);
        own.forEach((key, value) -> {
            if (key.equals("Environment") && merged.get(key) instanceof Map<?, ?> global) {
                Map<String, Object> variables = new LinkedHashMap<>(map(map(global).get("Variables")));
                variables.putAll(map(map(value).get("Variables")));
                merged.put(key, Map.of("Variables", variables));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    Map<String, Object> environment(String function) {
        return map(map(function(function).getOrDefault("Environment", Map.of("Variables", Map.of()))).get("Variables"));
    }

    /** The inline statements of a SAM function's or state machine's {@code Policies} (policy templates left out). */
    List<Map<String, Object>> inlineStatements(String logicalId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object policy : list(properties(logicalId).getOrDefault("Policies", List.of()))) {
            for (Object branch : branches(policy)) {
                if (branch instanceof Map<?, ?> m && m.containsKey("Statement")) {
                    out.addAll(statements(branch));
                }
            }
        }
        return out;
    }

    /** The policy templates (e.g. {@code DynamoDBCrudPolicy}) a SAM resource names. */
    Set<String> policyTemplates(String logicalId) {
        Set<String> out = new LinkedHashSet<>();
        for (Object policy : list(properties(logicalId).getOrDefault("Policies", List.of()))) {
            for (Object branch : branches(policy)) {
                if (branch instanceof Map<?, ?> m && !m.containsKey("Statement")) {
                    m.keySet().forEach(k -> out.add(k.toString()));
                }
            }
        }
        return out;
    }

    /** A policy document's statements, both branches of an {@code Fn::If} included. */
    static List<Map<String, Object>> statements(Object document) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object statement : list(map(document).get("Statement"))) {
            for (Object branch : branches(statement)) {
                if (branch instanceof Map<?, ?> m && !m.containsKey("Ref")) {
                    out.add(map(branch));
                }
            }
        }
        return out;
    }

    /** A value, or both branches of it when it is an {@code Fn::If}. */
    static List<Object> branches(Object value) {
        if (value instanceof Map<?, ?> m && m.containsKey("Fn::If")) {
            return list(m.get("Fn::If")).subList(1, 3);
        }
        return List.of(value);
    }

    /** The parameters and resources a value names: {@code Ref}, {@code Fn::GetAtt} and {@code ${...}} of {@code Fn::Sub}. */
    static Set<String> references(Object value) {
        Set<String> out = new LinkedHashSet<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((key, inner) -> {
                if ("Ref".equals(key)) {
                    out.add(inner.toString());
                } else if ("Fn::GetAtt".equals(key)) {
                    out.add(list(inner).get(0).toString());
                } else if ("Fn::Sub".equals(key)) {
                    Object text = inner instanceof List<?> l ? l.get(0) : inner;
                    Matcher names = SUBSTITUTION.matcher(text.toString());
                    while (names.find()) {
                        out.add(names.group(1).split("\\.")[0]);
                    }
                    if (inner instanceof List<?> l) {
                        out.addAll(references(l.get(1)));
                    }
                } else {
                    out.addAll(references(inner));
                }
            });
        } else if (value instanceof List<?> l) {
            l.forEach(inner -> out.addAll(references(inner)));
        }
        out.remove("AWS::NoValue");
        return out;
    }

    /** An action list as strings, whether the template wrote one action or a list. */
    static List<String> actions(Map<String, Object> statement) {
        Object action = statement.containsKey("Action") ? statement.get("Action") : statement.get("NotAction");
        return action instanceof List<?> l ? l.stream().map(Object::toString).toList() : List.of(String.valueOf(action));
    }

    /**
     * A value as CloudFormation would resolve it with these values for parameters, pseudo parameters and
     * {@code Resource.Attribute}s, every condition true ({@code Fn::If} takes its first branch).
     */
    static Object render(Object value, Map<String, String> values) {
        if (value instanceof Map<?, ?> m) {
            if (m.containsKey("Fn::Sub")) {
                Object inner = m.get("Fn::Sub");
                String text = (inner instanceof List<?> l ? l.get(0) : inner).toString();
                Map<String, Object> local = inner instanceof List<?> l ? map(l.get(1)) : Map.of();
                Matcher names = SUBSTITUTION.matcher(text);
                StringBuilder out = new StringBuilder();
                while (names.find()) {
                    String name = names.group(1);
                    Object replacement = local.containsKey(name) ? render(local.get(name), values) : required(values, name);
                    names.appendReplacement(out, Matcher.quoteReplacement(replacement.toString()));
                }
                return names.appendTail(out).toString();
            }
            if (m.containsKey("Fn::GetAtt")) {
                return required(values, String.join(".", list(m.get("Fn::GetAtt")).stream().map(Object::toString).toList()));
            }
            if (m.containsKey("Ref")) {
                return "AWS::NoValue".equals(m.get("Ref")) ? null : required(values, m.get("Ref").toString());
            }
            if (m.containsKey("Fn::If")) {
                return render(list(m.get("Fn::If")).get(1), values);
            }
            if (m.containsKey("Fn::Select")) {
                List<Object> select = list(m.get("Fn::Select"));
                List<Object> split = list(map(select.get(1)).get("Fn::Split"));
                String[] parts = render(split.get(1), values).toString().split(Pattern.quote(split.get(0).toString()));
                return parts[Integer.parseInt(select.get(0).toString())];
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((key, inner) -> out.put(key.toString(), render(inner, values)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(inner -> {
                Object rendered = render(inner, values);
                if (rendered != null) {
                    out.add(rendered);
                }
            });
            return out;
        }
        return value;
    }

    /** How IAM counts a managed policy's size: its JSON without whitespace. */
    static int iamSize(Object document) throws IOException {
        return new ObjectMapper().writeValueAsString(document).replaceAll("\\s", "").length();
    }

    private static String required(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no sample value for " + name);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
