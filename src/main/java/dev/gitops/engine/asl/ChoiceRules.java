package dev.gitops.engine.asl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.asl.ChoiceConditions.Kind;
import dev.gitops.engine.asl.ChoiceConditions.Relation;
import dev.gitops.engine.asl.ChoiceConditions.TypeTest;
import dev.gitops.engine.data.Paths;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates Choice rules (JSONPath query language) into {@link ChoiceRule}s with AWS Step Functions
 * semantics: a value of the wrong type makes a comparison false; numbers compare by value, strings by code point,
 * timestamps as instants.
 */
public final class ChoiceRules {
    private enum Family { COMPARISON, PATH_COMPARISON, STRING_MATCHES, IS_PRESENT, IS_TYPE, AND, OR, NOT }

    private record Operator(String name, Family family, Kind kind, Relation relation, TypeTest test) {
        boolean compound() {
            return family == Family.AND || family == Family.OR || family == Family.NOT;
        }
    }

    private static final Map<String, Operator> OPERATORS = operators();

    private ChoiceRules() {
    }

    /**
     * Parses one rule (without its Next, which the caller handles). Every problem is added to {@code problems} as
     * "message at pointer"; returns null when the rule cannot be built.
     */
    public static ChoiceRule parse(JsonNode rule, String pointer, boolean topLevel, List<String> problems) {
        if (rule == null || !rule.isObject()) {
            problems.add("A choice rule must be an OBJECT at " + pointer);
            return null;
        }
        int problemsBefore = problems.size();
        List<Operator> operators = new ArrayList<>();
        for (Iterator<String> names = rule.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            Operator operator = OPERATORS.get(name);
            if (operator != null) {
                operators.add(operator);
            } else if (name.equals("Next")) {
                if (!topLevel) {
                    problems.add("The field 'Next' is not allowed in a nested choice rule at " + child(pointer, name));
                }
            } else if (name.equals("Comment")) {
                if (!rule.get(name).isTextual()) {
                    problems.add("The field 'Comment' should be a STRING at " + child(pointer, name));
                }
            } else if (!name.equals("Variable")) {
                problems.add("Field '" + name + "' is not supported at " + child(pointer, name));
            }
        }

        if (operators.isEmpty()) {
            problems.add("A choice rule must have one comparison operator (such as 'StringEquals'), or 'And', 'Or' or"
                    + " 'Not' at " + pointer);
        } else if (operators.size() > 1) {
            problems.add("A choice rule must have only one comparison operator, but this one has "
                    + String.join(", ", operators.stream().map(o -> "'" + o.name() + "'").toList()) + " at " + pointer);
        }

        Operator single = operators.size() == 1 ? operators.get(0) : null;
        JsonNode variableNode = rule.get("Variable");
        ChoicePath variable = null;
        if (variableNode != null && single != null && single.compound()) {
            problems.add("The field 'Variable' is not allowed together with '" + single.name() + "' at "
                    + child(pointer, "Variable"));
        } else if (variableNode == null && single != null && !single.compound()) {
            problems.add("The field 'Variable' is required with '" + single.name() + "' at " + child(pointer, "Variable"));
        } else if (variableNode != null) {
            variable = path(variableNode, "Variable", pointer, problems);
        }

        List<ChoiceRule> built = new ArrayList<>(1);
        for (Operator operator : operators) {
            built.add(operand(operator, variable, rule.get(operator.name()), pointer, problems));
        }
        if (problems.size() != problemsBefore || single == null) {
            return null;
        }
        return built.get(0);
    }

    private static ChoiceRule operand(Operator operator, ChoicePath variable, JsonNode value, String pointer,
                                      List<String> problems) {
        String name = operator.name();
        String at = child(pointer, name);
        switch (operator.family()) {
            case AND, OR -> {
                if (!value.isArray() || value.isEmpty()) {
                    problems.add("The field '" + name + "' should be a non-empty ARRAY of choice rules at " + at);
                    return null;
                }
                ChoiceRule[] rules = new ChoiceRule[value.size()];
                for (int i = 0; i < rules.length; i++) {
                    rules[i] = parse(value.get(i), at + "/" + i, false, problems);
                }
                return operator.family() == Family.AND ? new ChoiceConditions.And(rules) : new ChoiceConditions.Or(rules);
            }
            case NOT -> {
                ChoiceRule rule = parse(value, at, false, problems);
                return rule == null ? null : new ChoiceConditions.Not(rule);
            }
            case IS_PRESENT, IS_TYPE -> {
                if (!value.isBoolean()) {
                    problems.add("The field '" + name + "' should be a BOOLEAN at " + at);
                    return null;
                }
                return operator.family() == Family.IS_PRESENT
                        ? new ChoiceConditions.IsPresent(variable, value.booleanValue())
                        : new ChoiceConditions.IsType(variable, operator.test(), value.booleanValue());
            }
            case STRING_MATCHES -> {
                if (!value.isTextual()) {
                    problems.add("The field '" + name + "' should be a STRING at " + at);
                    return null;
                }
                return new ChoiceConditions.StringMatches(variable, ChoiceWildcard.compile(value.textValue()));
            }
            case PATH_COMPARISON -> {
                ChoicePath operand = path(value, name, pointer, problems);
                return operand == null ? null
                        : new ChoiceConditions.PathComparison(variable, operator.kind(), operator.relation(), operand);
            }
            default -> {
                Object literal = operator.kind().convert(value);
                if (literal == null) {
                    problems.add("The field '" + name + "' should be " + operator.kind().expected
                            + (value.isTextual() ? ", not '" + value.textValue() + "'" : "") + " at " + at);
                    return null;
                }
                return new ChoiceConditions.LiteralComparison(variable, operator.kind(), operator.relation(), literal);
            }
        }
    }

    private static ChoicePath path(JsonNode value, String field, String pointer, List<String> problems) {
        String at = child(pointer, field);
        if (!value.isTextual()) {
            problems.add("The field '" + field + "' should be a STRING at " + at);
            return null;
        }
        String problem = Paths.problem(value.textValue());
        if (problem != null) {
            problems.add("The value for the field '" + field + "' must be a valid JSONPath: " + problem + " at " + at);
            return null;
        }
        return ChoicePath.of(value.textValue());
    }

    private static String child(String pointer, String field) {
        return pointer + "/" + field.replace("~", "~0").replace("/", "~1");
    }

    private static Map<String, Operator> operators() {
        Map<String, Operator> operators = new HashMap<>();
        for (Kind kind : Kind.values()) {
            String prefix = switch (kind) {
                case STRING -> "String";
                case NUMERIC -> "Numeric";
                case BOOLEAN -> "Boolean";
                case TIMESTAMP -> "Timestamp";
            };
            for (Relation relation : Relation.values()) {
                if (kind == Kind.BOOLEAN && relation != Relation.EQUALS) {
                    continue;
                }
                String name = prefix + relation.suffix;
                operators.put(name, new Operator(name, Family.COMPARISON, kind, relation, null));
                operators.put(name + "Path", new Operator(name + "Path", Family.PATH_COMPARISON, kind, relation, null));
            }
        }
        operators.put("StringMatches", new Operator("StringMatches", Family.STRING_MATCHES, Kind.STRING, null, null));
        operators.put("IsPresent", new Operator("IsPresent", Family.IS_PRESENT, null, null, null));
        for (TypeTest test : TypeTest.values()) {
            operators.put(test.operator, new Operator(test.operator, Family.IS_TYPE, null, null, test));
        }
        operators.put("And", new Operator("And", Family.AND, null, null, null));
        operators.put("Or", new Operator("Or", Family.OR, null, null, null));
        operators.put("Not", new Operator("Not", Family.NOT, null, null, null));
        return Map.copyOf(operators);
    }
}
