package dev.gitops.engine.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;

/** The parsed forms of Choice rules. */
final class ChoiceConditions {
    private ChoiceConditions() {
    }

    /** What a comparison compares, and how a JSON value becomes comparable (null when it has the wrong type). */
    enum Kind {
        STRING("a STRING") {
            @Override
            Object convert(JsonNode node) {
                return node.isTextual() ? node.textValue() : null;
            }

            @Override
            int compare(Object left, Object right) {
                return compareCodePoints((String) left, (String) right);
            }
        },
        NUMERIC("a NUMBER") {
            @Override
            Object convert(JsonNode node) {
                if (!node.isNumber() || ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue()))) {
                    return null;
                }
                return node.decimalValue();
            }

            @Override
            int compare(Object left, Object right) {
                return ((BigDecimal) left).compareTo((BigDecimal) right);
            }
        },
        BOOLEAN("a BOOLEAN") {
            @Override
            Object convert(JsonNode node) {
                return node.isBoolean() ? Boolean.valueOf(node.booleanValue()) : null;
            }

            @Override
            int compare(Object left, Object right) {
                return left == right ? 0 : 1;
            }
        },
        TIMESTAMP("a STRING holding an RFC 3339 timestamp such as 2016-03-14T01:59:00Z") {
            @Override
            Object convert(JsonNode node) {
                return node.isTextual() ? ChoiceTimestamps.parse(node.textValue()) : null;
            }

            @Override
            int compare(Object left, Object right) {
                return ((Instant) left).compareTo((Instant) right);
            }
        };

        final String expected;

        Kind(String expected) {
            this.expected = expected;
        }

        abstract Object convert(JsonNode node);

        abstract int compare(Object left, Object right);
    }

    enum Relation {
        EQUALS("Equals"),
        LESS_THAN("LessThan"),
        GREATER_THAN("GreaterThan"),
        LESS_THAN_EQUALS("LessThanEquals"),
        GREATER_THAN_EQUALS("GreaterThanEquals");

        final String suffix;

        Relation(String suffix) {
            this.suffix = suffix;
        }

        boolean holds(int comparison) {
            return switch (this) {
                case EQUALS -> comparison == 0;
                case LESS_THAN -> comparison < 0;
                case GREATER_THAN -> comparison > 0;
                case LESS_THAN_EQUALS -> comparison <= 0;
                case GREATER_THAN_EQUALS -> comparison >= 0;
            };
        }
    }

    enum TypeTest {
        IS_NULL("IsNull"),
        IS_NUMERIC("IsNumeric"),
        IS_STRING("IsString"),
        IS_BOOLEAN("IsBoolean"),
        IS_TIMESTAMP("IsTimestamp");

        final String operator;

        TypeTest(String operator) {
            this.operator = operator;
        }

        boolean test(JsonNode node) {
            return switch (this) {
                case IS_NULL -> node.isNull();
                case IS_NUMERIC -> node.isNumber();
                case IS_STRING -> node.isTextual();
                case IS_BOOLEAN -> node.isBoolean();
                case IS_TIMESTAMP -> node.isTextual() && ChoiceTimestamps.parse(node.textValue()) != null;
            };
        }
    }

    /**
     * Orders strings by Unicode code point: UTF-16 order except that supplementary characters (surrogate pairs) sort
     * after U+E000..U+FFFF.
     */
    static int compareCodePoints(String left, String right) {
        int length = Math.min(left.length(), right.length());
        for (int i = 0; i < length; i++) {
            char a = left.charAt(i);
            char b = right.charAt(i);
            if (a != b) {
                return codePointOrder(a) - codePointOrder(b);
            }
        }
        return left.length() - right.length();
    }

    private static int codePointOrder(char c) {
        if (c >= '\uD800') {
            return c < '\uE000' ? c + 0x2000 : c - 0x800;
        }
        return c;
    }

    static final class LiteralComparison implements ChoiceRule {
        private final ChoicePath variable;
        private final Kind kind;
        private final Relation relation;
        private final Object literal;

        LiteralComparison(ChoicePath variable, Kind kind, Relation relation, Object literal) {
            this.variable = variable;
            this.kind = kind;
            this.relation = relation;
            this.literal = literal;
        }

        @Override
        public boolean evaluate(JsonNode input, JsonNode context) {
            Object value = kind.convert(variable.require(input, context));
            return value != null && relation.holds(kind.compare(value, literal));
        }
    }

    static final class PathComparison implements ChoiceRule {
        private final ChoicePath variable;
        private final Kind kind;
        private final Relation relation;
        private final ChoicePath operand;

        PathComparison(ChoicePath variable, Kind kind, Relation relation, ChoicePath operand) {
            this.variable = variable;
            this.kind = kind;
            this.relation = relation;
            this.operand = operand;
        }

        @Override
        public boolean evaluate(JsonNode input, JsonNode context) {
            JsonNode left = variable.require(input, context);
            JsonNode right = operand.require(input, context);
            Object value = kind.convert(left);
            if (value == null) {
                return false;
            }
            Object other = kind.convert(right);
            return other != null && relation.holds(kind.compare(value, other));
        }
    }

    static final class StringMatches implements ChoiceRule {
        private final ChoicePath variable;
        private final ChoiceWildcard pattern;

        StringMatches(ChoicePath variable, ChoiceWildcard pattern) {
            this.variable = variable;
            this.pattern = pattern;
        }

        @Override
        public boolean evaluate(JsonNode input, JsonNode context) {
            JsonNode value = variable.require(input, context);
            return value.isTextual() && pattern.matches(value.textValue());
        }
    }

    static final class IsPresent implements ChoiceRule {
        private final ChoicePath variable;
        private final boolean expected;

        IsPresent(ChoicePath variable, boolean expected) {
            this.variable = variable;
            this.expected = expected;
        }

        @Override
        public boolean evaluate(JsonNode input, JsonNode context) {
            return (variable.read(input, context) != null) == expected;
        }
    }

    static final class IsType implements ChoiceRule {
        private final ChoicePath variable;
        private final TypeTest test;
        private final boolean expected;

        IsType(ChoicePath variable, TypeTest test, boolean expected) {
            this.variable = variable;
            this.test = test;
            this.expected = expected;
        }

        @Override
        public boolean evaluate(JsonNode input, JsonNode context) {
            return test.test(variable.require(input, context)) == expected;
        }
    }

    static final class And implements ChoiceRule {
        private final ChoiceRule[] rules;

        And(ChoiceRule[] rules) {
            this.rules = rules;
        }

        @Override
        public boolean evaluate(JsonNode input, JsonNode context) {
            for (ChoiceRule rule : rules) {
                if (!rule.evaluate(input, context)) {
                    return false;
                }
            }
            return true;
        }
    }

    static final class Or implements ChoiceRule {
        private final ChoiceRule[] rules;

        Or(ChoiceRule[] rules) {
            this.rules = rules;
        }

        @Override
        public boolean evaluate(JsonNode input, JsonNode context) {
            for (ChoiceRule rule : rules) {
                if (rule.evaluate(input, context)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class Not implements ChoiceRule {
        private final ChoiceRule rule;

        Not(ChoiceRule rule) {
            this.rule = rule;
        }

        @Override
        public boolean evaluate(JsonNode input, JsonNode context) {
            return !rule.evaluate(input, context);
        }
    }
}
