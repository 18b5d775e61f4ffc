package dev.gitops.engine.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.data.Paths;
import dev.gitops.engine.data.StatesErrors;
import dev.gitops.engine.data.StatesException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChoiceRulesTest {
    private static final String AT = "/States/Route/Choices/0";
    private static final String INPUT = """
            {"s": "beta", "n": 5, "d": 5.0, "f": 0.1, "big": 123456789012345678901234567890, "b": true,
             "nil": null, "t": "2016-03-14T01:59:00Z", "t2": "2016-03-14T03:59:00+02:00",
             "obj": {"x": "y"}, "arr": [1, 2], "empty": "",
             "other": {"s": "beta", "s2": "alpha", "n": 5.00, "n2": 7, "b": true, "b2": false,
                       "t": "2016-03-14T01:59:00.000Z", "t2": "2016-03-14T02:00:00.5+00:00", "word": "beta"}}
            """;

    private static JsonNode json(String text) {
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static ChoiceRule rule(String ruleJson) {
        List<String> problems = new ArrayList<>();
        ChoiceRule rule = ChoiceRules.parse(json(ruleJson), AT, true, problems);
        assertEquals(List.of(), problems, ruleJson);
        assertNotNull(rule, ruleJson);
        return rule;
    }

    private static boolean eval(String ruleJson) {
        return eval(ruleJson, INPUT);
    }

    private static boolean eval(String ruleJson, String input) {
        return rule(ruleJson).evaluate(json(input), json("{\"Execution\": {\"Name\": \"run-1\"}}"));
    }

    private static String cmp(String variable, String operator, String operand) {
        return "{\"Variable\": \"" + variable + "\", \"" + operator + "\": " + operand + ", \"Next\": \"X\"}";
    }

    private static List<String> problems(String ruleJson) {
        List<String> problems = new ArrayList<>();
        ChoiceRule rule = ChoiceRules.parse(json(ruleJson), AT, true, problems);
        assertNull(rule, ruleJson);
        return problems;
    }

    private static StatesException failure(String ruleJson, String input) {
        ChoiceRule rule = rule(ruleJson);
        return assertThrows(StatesException.class, () -> rule.evaluate(json(input), json("{}")));
    }

    @Test
    void stringComparisons() {
        assertTrue(eval(cmp("$.s", "StringEquals", "\"beta\"")));
        assertFalse(eval(cmp("$.s", "StringEquals", "\"Beta\"")));
        assertTrue(eval(cmp("$.s", "StringLessThan", "\"gamma\"")));
        assertFalse(eval(cmp("$.s", "StringLessThan", "\"beta\"")));
        assertTrue(eval(cmp("$.s", "StringGreaterThan", "\"alpha\"")));
        assertFalse(eval(cmp("$.s", "StringGreaterThan", "\"beta\"")));
        assertTrue(eval(cmp("$.s", "StringLessThanEquals", "\"beta\"")));
        assertTrue(eval(cmp("$.s", "StringLessThanEquals", "\"betb\"")));
        assertFalse(eval(cmp("$.s", "StringLessThanEquals", "\"bet\"")));
        assertTrue(eval(cmp("$.s", "StringGreaterThanEquals", "\"beta\"")));
        assertTrue(eval(cmp("$.s", "StringGreaterThanEquals", "\"bet\"")));
        assertFalse(eval(cmp("$.s", "StringGreaterThanEquals", "\"betaa\"")));
        assertTrue(eval(cmp("$.empty", "StringEquals", "\"\"")));
    }

    @Test
    void stringPathComparisons() {
        assertTrue(eval(cmp("$.s", "StringEqualsPath", "\"$.other.s\"")));
        assertFalse(eval(cmp("$.s", "StringEqualsPath", "\"$.other.s2\"")));
        assertTrue(eval(cmp("$.other.s2", "StringLessThanPath", "\"$.s\"")));
        assertFalse(eval(cmp("$.s", "StringLessThanPath", "\"$.other.s2\"")));
        assertTrue(eval(cmp("$.s", "StringGreaterThanPath", "\"$.other.s2\"")));
        assertFalse(eval(cmp("$.s", "StringGreaterThanPath", "\"$.other.s\"")));
        assertTrue(eval(cmp("$.s", "StringLessThanEqualsPath", "\"$.other.s\"")));
        assertFalse(eval(cmp("$.s", "StringLessThanEqualsPath", "\"$.other.s2\"")));
        assertTrue(eval(cmp("$.s", "StringGreaterThanEqualsPath", "\"$.other.s2\"")));
        assertFalse(eval(cmp("$.other.s2", "StringGreaterThanEqualsPath", "\"$.s\"")));
        assertTrue(eval(cmp("$$.Execution.Name", "StringEqualsPath", "\"$$.Execution.Name\"")));
        assertTrue(eval(cmp("$$.Execution.Name", "StringEquals", "\"run-1\"")));
    }

    @Test
    void stringsCompareByCodePoint() {
        String smiley = "\\ud83d\\ude00";
        assertFalse(eval(cmp("$.v", "StringLessThan", "\"\\uffff\""), "{\"v\": \"" + smiley + "\"}"));
        assertTrue(eval(cmp("$.v", "StringGreaterThan", "\"\\uffff\""), "{\"v\": \"" + smiley + "\"}"));
        assertTrue(eval(cmp("$.v", "StringLessThan", "\"a\""), "{\"v\": \"B\"}"));
        assertTrue(eval(cmp("$.v", "StringLessThan", "\"\\u00e9\""), "{\"v\": \"z\"}"));
    }

    @Test
    void stringComparisonsWithWrongTypesAreFalse() {
        for (String variable : List.of("$.n", "$.b", "$.nil", "$.obj", "$.arr")) {
            for (String operator : List.of("StringEquals", "StringLessThan", "StringGreaterThan",
                    "StringLessThanEquals", "StringGreaterThanEquals")) {
                assertFalse(eval(cmp(variable, operator, "\"5\"")), variable + " " + operator);
            }
        }
        assertFalse(eval(cmp("$.s", "StringEqualsPath", "\"$.n\"")));
        assertFalse(eval(cmp("$.n", "StringEqualsPath", "\"$.s\"")));
    }

    @Test
    void numericComparisons() {
        assertTrue(eval(cmp("$.n", "NumericEquals", "5")));
        assertTrue(eval(cmp("$.n", "NumericEquals", "5.0")));
        assertTrue(eval(cmp("$.d", "NumericEquals", "5")));
        assertFalse(eval(cmp("$.n", "NumericEquals", "5.000001")));
        assertTrue(eval(cmp("$.f", "NumericEquals", "0.1")));
        assertTrue(eval(cmp("$.big", "NumericEquals", "123456789012345678901234567890")));
        assertFalse(eval(cmp("$.big", "NumericEquals", "123456789012345678901234567891")));
        assertTrue(eval(cmp("$.n", "NumericLessThan", "5.5")));
        assertFalse(eval(cmp("$.n", "NumericLessThan", "5")));
        assertTrue(eval(cmp("$.n", "NumericGreaterThan", "-1")));
        assertFalse(eval(cmp("$.n", "NumericGreaterThan", "5")));
        assertTrue(eval(cmp("$.n", "NumericLessThanEquals", "5")));
        assertFalse(eval(cmp("$.n", "NumericLessThanEquals", "4.99")));
        assertTrue(eval(cmp("$.n", "NumericGreaterThanEquals", "5.0")));
        assertFalse(eval(cmp("$.n", "NumericGreaterThanEquals", "6")));
        assertTrue(eval(cmp("$.big", "NumericGreaterThan", "1e20")));
    }

    @Test
    void numericPathComparisons() {
        assertTrue(eval(cmp("$.n", "NumericEqualsPath", "\"$.other.n\"")));
        assertFalse(eval(cmp("$.n", "NumericEqualsPath", "\"$.other.n2\"")));
        assertTrue(eval(cmp("$.n", "NumericLessThanPath", "\"$.other.n2\"")));
        assertFalse(eval(cmp("$.n", "NumericLessThanPath", "\"$.other.n\"")));
        assertTrue(eval(cmp("$.other.n2", "NumericGreaterThanPath", "\"$.n\"")));
        assertFalse(eval(cmp("$.n", "NumericGreaterThanPath", "\"$.other.n2\"")));
        assertTrue(eval(cmp("$.n", "NumericLessThanEqualsPath", "\"$.other.n\"")));
        assertFalse(eval(cmp("$.other.n2", "NumericLessThanEqualsPath", "\"$.n\"")));
        assertTrue(eval(cmp("$.n", "NumericGreaterThanEqualsPath", "\"$.d\"")));
        assertFalse(eval(cmp("$.n", "NumericGreaterThanEqualsPath", "\"$.other.n2\"")));
    }

    @Test
    void numericComparisonsWithWrongTypesAreFalse() {
        assertFalse(eval(cmp("$.v", "NumericEquals", "5"), "{\"v\": \"5\"}"));
        assertFalse(eval(cmp("$.b", "NumericEquals", "1")));
        assertFalse(eval(cmp("$.nil", "NumericLessThan", "1")));
        assertFalse(eval(cmp("$.arr", "NumericGreaterThan", "0")));
        assertFalse(eval(cmp("$.n", "NumericEqualsPath", "\"$.s\"")));
        assertFalse(eval(cmp("$.v", "NumericGreaterThan", "0"), "{\"v\": 1e400}"));
    }

    @Test
    void booleanComparisons() {
        assertTrue(eval(cmp("$.b", "BooleanEquals", "true")));
        assertFalse(eval(cmp("$.b", "BooleanEquals", "false")));
        assertTrue(eval(cmp("$.v", "BooleanEquals", "false"), "{\"v\": false}"));
        assertFalse(eval(cmp("$.v", "BooleanEquals", "true"), "{\"v\": \"true\"}"));
        assertFalse(eval(cmp("$.v", "BooleanEquals", "true"), "{\"v\": 1}"));
        assertFalse(eval(cmp("$.nil", "BooleanEquals", "false")));
        assertTrue(eval(cmp("$.b", "BooleanEqualsPath", "\"$.other.b\"")));
        assertFalse(eval(cmp("$.b", "BooleanEqualsPath", "\"$.other.b2\"")));
        assertFalse(eval(cmp("$.b", "BooleanEqualsPath", "\"$.s\"")));
    }

    @Test
    void timestampComparisons() {
        assertTrue(eval(cmp("$.t", "TimestampEquals", "\"2016-03-14T01:59:00Z\"")));
        assertTrue(eval(cmp("$.t2", "TimestampEquals", "\"2016-03-14T01:59:00Z\"")));
        assertTrue(eval(cmp("$.t", "TimestampEquals", "\"2016-03-13T20:59:00.000-05:00\"")));
        assertFalse(eval(cmp("$.t", "TimestampEquals", "\"2016-03-14T01:59:00.001Z\"")));
        assertTrue(eval(cmp("$.t", "TimestampLessThan", "\"2016-03-14T01:59:00.000000001Z\"")));
        assertFalse(eval(cmp("$.t", "TimestampLessThan", "\"2016-03-14T02:59:00+01:00\"")));
        assertTrue(eval(cmp("$.t", "TimestampGreaterThan", "\"2016-03-14T02:58:59+01:00\"")));
        assertFalse(eval(cmp("$.t", "TimestampGreaterThan", "\"2016-03-14T01:59:00Z\"")));
        assertTrue(eval(cmp("$.t2", "TimestampLessThanEquals", "\"2016-03-14T01:59:00Z\"")));
        assertFalse(eval(cmp("$.t2", "TimestampLessThanEquals", "\"2016-03-14T01:58:59.999Z\"")));
        assertTrue(eval(cmp("$.t", "TimestampGreaterThanEquals", "\"2016-03-14T01:59:00Z\"")));
        assertFalse(eval(cmp("$.t", "TimestampGreaterThanEquals", "\"2020-01-01T00:00:00Z\"")));
    }

    @Test
    void timestampPathComparisons() {
        assertTrue(eval(cmp("$.t", "TimestampEqualsPath", "\"$.t2\"")));
        assertTrue(eval(cmp("$.t", "TimestampEqualsPath", "\"$.other.t\"")));
        assertFalse(eval(cmp("$.t", "TimestampEqualsPath", "\"$.other.t2\"")));
        assertTrue(eval(cmp("$.t", "TimestampLessThanPath", "\"$.other.t2\"")));
        assertFalse(eval(cmp("$.t", "TimestampLessThanPath", "\"$.t2\"")));
        assertTrue(eval(cmp("$.other.t2", "TimestampGreaterThanPath", "\"$.t\"")));
        assertFalse(eval(cmp("$.t", "TimestampGreaterThanPath", "\"$.other.t2\"")));
        assertTrue(eval(cmp("$.t", "TimestampLessThanEqualsPath", "\"$.t2\"")));
        assertFalse(eval(cmp("$.other.t2", "TimestampLessThanEqualsPath", "\"$.t\"")));
        assertTrue(eval(cmp("$.t", "TimestampGreaterThanEqualsPath", "\"$.t2\"")));
        assertFalse(eval(cmp("$.t", "TimestampGreaterThanEqualsPath", "\"$.other.t2\"")));
    }

    @Test
    void nonTimestampValuesAreNeitherEqualLessNorGreater() {
        for (String value : List.of("\"yesterday\"", "\"2016-03-14T01:59:00\"", "\"2016-03-14t01:59:00z\"",
                "\"2016-03-14 01:59:00Z\"", "\"2016-02-30T01:59:00Z\"", "\"2016-03-14T01:59Z\"", "1457920740", "null")) {
            String input = "{\"t\": \"2016-03-14T01:59:00Z\", \"v\": " + value + "}";
            for (String operator : List.of("TimestampEquals", "TimestampLessThan", "TimestampGreaterThan",
                    "TimestampLessThanEquals", "TimestampGreaterThanEquals")) {
                assertFalse(eval(cmp("$.v", operator, "\"2016-03-14T01:59:00Z\""), input), value + " " + operator);
            }
            assertFalse(eval(cmp("$.t", "TimestampEqualsPath", "\"$.v\""), input), value);
            assertFalse(eval(cmp("$.v", "IsTimestamp", "true"), input), value);
        }
    }

    @Test
    void stringMatches() {
        assertTrue(eval(cmp("$.v", "StringMatches", "\"log-*.txt\""), "{\"v\": \"log-2024.txt\"}"));
        assertTrue(eval(cmp("$.v", "StringMatches", "\"log-*.txt\""), "{\"v\": \"log-.txt\"}"));
        assertFalse(eval(cmp("$.v", "StringMatches", "\"log-*.txt\""), "{\"v\": \"log-2024.txt.gz\"}"));
        assertFalse(eval(cmp("$.v", "StringMatches", "\"log-*.txt\""), "{\"v\": \"xlog-1.txt\"}"));
        assertTrue(eval(cmp("$.v", "StringMatches", "\"*\""), "{\"v\": \"\"}"));
        assertTrue(eval(cmp("$.v", "StringMatches", "\"*\""), "{\"v\": \"anything\"}"));
        assertTrue(eval(cmp("$.v", "StringMatches", "\"a*b*c\""), "{\"v\": \"axxbyybzc\"}"));
        assertFalse(eval(cmp("$.v", "StringMatches", "\"a*b*c\""), "{\"v\": \"axxcyyb\"}"));
        assertTrue(eval(cmp("$.v", "StringMatches", "\"*.*\""), "{\"v\": \"a.b\"}"));
        assertFalse(eval(cmp("$.v", "StringMatches", "\"ab*ba\""), "{\"v\": \"aba\"}"));
        assertTrue(eval(cmp("$.v", "StringMatches", "\"ab*ba\""), "{\"v\": \"abba\"}"));
        assertTrue(eval(cmp("$.v", "StringMatches", "\"exact\""), "{\"v\": \"exact\"}"));
        assertFalse(eval(cmp("$.v", "StringMatches", "\"exact\""), "{\"v\": \"exactly\"}"));
        assertTrue(eval(cmp("$.v", "StringMatches", "\"a.c\""), "{\"v\": \"a.c\"}"));
        assertFalse(eval(cmp("$.v", "StringMatches", "\"a.c\""), "{\"v\": \"abc\"}"));
        assertFalse(eval(cmp("$.v", "StringMatches", "\"*\""), "{\"v\": 5}"));
        assertFalse(eval(cmp("$.v", "StringMatches", "\"*\""), "{\"v\": null}"));
    }

    @Test
    void stringMatchesEscapes() {
        // JSON "a\\*b" is the pattern a\*b: a literal star.
        assertTrue(eval(cmp("$.v", "StringMatches", "\"a\\\\*b\""), "{\"v\": \"a*b\"}"));
        assertFalse(eval(cmp("$.v", "StringMatches", "\"a\\\\*b\""), "{\"v\": \"axb\"}"));
        // Pattern a\\* : a literal backslash, then a wildcard.
        assertTrue(eval(cmp("$.v", "StringMatches", "\"a\\\\\\\\*\""), "{\"v\": \"a\\\\xyz\"}"));
        assertFalse(eval(cmp("$.v", "StringMatches", "\"a\\\\\\\\*\""), "{\"v\": \"axyz\"}"));
        // Pattern *\** : contains a literal star.
        assertTrue(eval(cmp("$.v", "StringMatches", "\"*\\\\**\""), "{\"v\": \"x*y\"}"));
        assertFalse(eval(cmp("$.v", "StringMatches", "\"*\\\\**\""), "{\"v\": \"xy\"}"));
        // Pattern a\b : a backslash before another character is literal.
        assertTrue(eval(cmp("$.v", "StringMatches", "\"a\\\\b\""), "{\"v\": \"a\\\\b\"}"));
    }

    @Test
    void isNullAndIsPresent() {
        assertTrue(eval(cmp("$.nil", "IsNull", "true")));
        assertFalse(eval(cmp("$.nil", "IsNull", "false")));
        assertFalse(eval(cmp("$.s", "IsNull", "true")));
        assertTrue(eval(cmp("$.s", "IsNull", "false")));
        assertTrue(eval(cmp("$.nil", "IsPresent", "true")));
        assertTrue(eval(cmp("$.s", "IsPresent", "true")));
        assertFalse(eval(cmp("$.missing", "IsPresent", "true")));
        assertTrue(eval(cmp("$.missing", "IsPresent", "false")));
        assertFalse(eval(cmp("$.s", "IsPresent", "false")));
        assertFalse(eval(cmp("$.nil.deeper", "IsPresent", "true")));
        assertTrue(eval(cmp("$.arr[0]", "IsPresent", "true")));
        assertFalse(eval(cmp("$.arr[5]", "IsPresent", "true")));
        assertTrue(eval(cmp("$$.Execution.Name", "IsPresent", "true")));
        assertFalse(eval(cmp("$$.Execution.Nope", "IsPresent", "true")));
        assertEquals(StatesErrors.RUNTIME, failure(cmp("$.missing", "IsNull", "true"), INPUT).error());
    }

    @Test
    void typeTests() {
        assertTrue(eval(cmp("$.n", "IsNumeric", "true")));
        assertTrue(eval(cmp("$.f", "IsNumeric", "true")));
        assertFalse(eval(cmp("$.v", "IsNumeric", "true"), "{\"v\": \"5\"}"));
        assertTrue(eval(cmp("$.s", "IsNumeric", "false")));
        assertFalse(eval(cmp("$.n", "IsNumeric", "false")));
        assertTrue(eval(cmp("$.s", "IsString", "true")));
        assertFalse(eval(cmp("$.n", "IsString", "true")));
        assertTrue(eval(cmp("$.nil", "IsString", "false")));
        assertTrue(eval(cmp("$.b", "IsBoolean", "true")));
        assertFalse(eval(cmp("$.v", "IsBoolean", "true"), "{\"v\": \"true\"}"));
        assertTrue(eval(cmp("$.s", "IsBoolean", "false")));
        assertTrue(eval(cmp("$.t", "IsTimestamp", "true")));
        assertTrue(eval(cmp("$.t2", "IsTimestamp", "true")));
        assertTrue(eval(cmp("$.v", "IsTimestamp", "true"), "{\"v\": \"2016-03-14T01:59:00.123456789-07:30\"}"));
        assertFalse(eval(cmp("$.s", "IsTimestamp", "true")));
        assertTrue(eval(cmp("$.s", "IsTimestamp", "false")));
        assertFalse(eval(cmp("$.t", "IsTimestamp", "false")));
        for (String operator : List.of("IsNumeric", "IsString", "IsBoolean", "IsTimestamp")) {
            assertFalse(eval(cmp("$.nil", operator, "true")), operator);
            StatesException e = failure(cmp("$.missing", operator, "true"), INPUT);
            assertEquals(StatesErrors.RUNTIME, e.error(), operator);
        }
    }

    @Test
    void andOrNotNesting() {
        String and = """
                {"And": [{"Variable": "$.n", "NumericGreaterThan": 1},
                         {"Or": [{"Variable": "$.s", "StringEquals": "nope"},
                                 {"Not": {"Variable": "$.b", "BooleanEquals": false}}]}],
                 "Next": "X"}
                """;
        assertTrue(eval(and));
        assertFalse(eval(and, "{\"n\": 0, \"s\": \"x\", \"b\": true}"));
        assertFalse(eval(and, "{\"n\": 2, \"s\": \"x\", \"b\": false}"));
        assertTrue(eval(and, "{\"n\": 2, \"s\": \"nope\", \"b\": false}"));
        assertTrue(eval("{\"Not\": {\"Variable\": \"$.s\", \"StringEquals\": \"alpha\"}, \"Next\": \"X\"}"));
        assertFalse(eval("{\"Not\": {\"Not\": {\"Variable\": \"$.s\", \"StringEquals\": \"alpha\"}}, \"Next\": \"X\"}"));
        assertFalse(eval("{\"Or\": [{\"Variable\": \"$.n\", \"NumericEquals\": 1}, {\"Variable\": \"$.n\", \"NumericEquals\": 2}]}"));
        assertTrue(eval("{\"And\": [{\"Variable\": \"$.n\", \"IsNumeric\": true}], \"Comment\": \"one\"}"));
    }

    @Test
    void andOrShortCircuit() {
        String guarded = """
                {"And": [{"Variable": "$.maybe", "IsPresent": true}, {"Variable": "$.maybe", "StringEquals": "x"}]}
                """;
        assertFalse(eval(guarded, "{}"));
        assertTrue(eval(guarded, "{\"maybe\": \"x\"}"));
        String either = """
                {"Or": [{"Variable": "$.maybe", "IsPresent": false}, {"Variable": "$.maybe", "StringEquals": "x"}]}
                """;
        assertTrue(eval(either, "{}"));
        assertFalse(eval(either, "{\"maybe\": \"y\"}"));
    }

    @Test
    void missingVariableFailsWithStatesRuntime() {
        StatesException e = failure(cmp("$.missing", "StringEquals", "\"x\""), "{}");
        assertEquals(StatesErrors.RUNTIME, e.error());
        assertEquals("Invalid path '$.missing': The choice state's condition path references an invalid value.", e.cause());
        e = failure(cmp("$.a.b", "NumericEquals", "1"), "{\"a\": null}");
        assertEquals("Invalid path '$.a.b': The choice state's condition path references an invalid value.", e.cause());
        e = failure(cmp("$.s", "StringEqualsPath", "\"$.nowhere\""), "{\"s\": \"x\"}");
        assertEquals(StatesErrors.RUNTIME, e.error());
        assertEquals("Invalid path '$.nowhere': The choice state's condition path references an invalid value.", e.cause());
        e = failure(cmp("$.v", "StringMatches", "\"*\""), "{}");
        assertEquals(StatesErrors.RUNTIME, e.error());
        e = failure(cmp("$$.Execution.Name", "StringEquals", "\"x\""), "{}");
        assertEquals(StatesErrors.RUNTIME, e.error());
        e = failure("{\"Not\": {\"Variable\": \"$.gone\", \"BooleanEquals\": true}}", "{}");
        assertEquals(StatesErrors.RUNTIME, e.error());
        ChoiceRule rule = rule(cmp("$.a", "NumericEquals", "1"));
        assertEquals(StatesErrors.RUNTIME,
                assertThrows(StatesException.class, () -> rule.evaluate(null, null)).error());
        assertEquals(StatesErrors.RUNTIME,
                assertThrows(StatesException.class, () -> rule.evaluate(json("[1, 2]"), null)).error());
    }

    @Test
    void pathsResolveLikePathsRead() {
        List<String> documents = List.of("{\"a\": {\"b\": [1, {\"c\": 2}]}, \"n\": null, \"s\": \"x\"}", "[1, 2]", "\"text\"",
                "null", "{\"a\": null}", "{\"a\": {\"b\": {}}}");
        List<String> paths = List.of("$", "$.a", "$.a.b", "$.a.b.c", "$.n", "$.n.x", "$.s.length", "$['a']",
                "$.a.b[1].c", "$.a.b[0]", "$.missing", "$.a_1.B2");
        for (String document : documents) {
            JsonNode data = json(document);
            for (String path : paths) {
                JsonNode expected = Paths.read(path, data, null);
                ChoiceRule present = rule(cmp(path, "IsPresent", "true"));
                assertEquals(expected != null, present.evaluate(data, null), path + " on " + document);
                if (expected != null) {
                    ChoiceRule isNull = rule(cmp(path, "IsNull", "true"));
                    assertEquals(expected.isNull(), isNull.evaluate(data, null), path + " on " + document);
                }
            }
        }
    }

    @Test
    void commentAndNextAreAllowedAtTopLevel() {
        assertTrue(eval("{\"Variable\": \"$.n\", \"NumericEquals\": 5, \"Comment\": \"five\", \"Next\": \"X\"}"));
        assertNotNull(ChoiceRules.parse(json("{\"Variable\": \"$.n\", \"NumericEquals\": 5, \"Comment\": \"c\"}"),
                AT + "/And/0", false, new ArrayList<>()));
    }

    @Test
    void wrongOperandTypeIsReported() {
        assertEquals(List.of("The field 'StringEquals' should be a STRING at " + AT + "/StringEquals"),
                problems(cmp("$.s", "StringEquals", "5")));
        assertEquals(List.of("The field 'NumericEquals' should be a NUMBER, not '5' at " + AT + "/NumericEquals"),
                problems(cmp("$.n", "NumericEquals", "\"5\"")));
        assertEquals(List.of("The field 'BooleanEquals' should be a BOOLEAN, not 'true' at " + AT + "/BooleanEquals"),
                problems(cmp("$.b", "BooleanEquals", "\"true\"")));
        assertEquals(List.of("The field 'IsNull' should be a BOOLEAN at " + AT + "/IsNull"),
                problems(cmp("$.b", "IsNull", "1")));
        assertEquals(List.of("The field 'StringMatches' should be a STRING at " + AT + "/StringMatches"),
                problems(cmp("$.b", "StringMatches", "[]")));
        assertEquals(List.of("The field 'StringEqualsPath' should be a STRING at " + AT + "/StringEqualsPath"),
                problems(cmp("$.b", "StringEqualsPath", "1")));
        for (String bad : List.of("\"yesterday\"", "\"2016-03-14t01:59:00Z\"", "\"2016-03-14T01:59:00\"",
                "\"2016-13-01T00:00:00Z\"", "\"2016-03-14T24:00:00Z\"", "\"2016-03-14T01:59:00+0200\"", "12")) {
            List<String> found = problems(cmp("$.t", "TimestampEquals", bad));
            assertEquals(1, found.size(), bad);
            assertTrue(found.get(0).startsWith("The field 'TimestampEquals' should be a STRING holding an RFC 3339"
                    + " timestamp"), found.get(0));
            assertTrue(found.get(0).endsWith(" at " + AT + "/TimestampEquals"), found.get(0));
        }
        for (String bad : List.of("\"foo\"", "\"$[\"", "\"$.a.\"")) {
            List<String> found = problems(cmp("$.t", "TimestampEqualsPath", bad));
            assertEquals(1, found.size(), bad);
            assertTrue(found.get(0).startsWith("The value for the field 'TimestampEqualsPath' must be a valid JSONPath: "),
                    found.get(0));
        }
    }

    @Test
    void everyProblemInARuleIsReported() {
        List<String> found = problems("{\"Variable\": 5, \"StringEquals\": 3, \"Foo\": 1, \"Comment\": 2}");
        assertEquals(List.of(
                "Field 'Foo' is not supported at " + AT + "/Foo",
                "The field 'Comment' should be a STRING at " + AT + "/Comment",
                "The field 'Variable' should be a STRING at " + AT + "/Variable",
                "The field 'StringEquals' should be a STRING at " + AT + "/StringEquals"), found);
    }

    @Test
    void nestedProblemsAreAllReportedWithTheirPointers() {
        List<String> found = problems("""
                {"And": [{"Variable": "$.a", "NumericEquals": "one", "Next": "X"},
                         {"Variable": "bad", "IsNull": true},
                         {"Not": {"StringEquals": "x"}},
                         7],
                 "Next": "Y"}
                """);
        assertEquals(List.of(
                "The field 'Next' is not allowed in a nested choice rule at " + AT + "/And/0/Next",
                "The field 'NumericEquals' should be a NUMBER, not 'one' at " + AT + "/And/0/NumericEquals",
                "The value for the field 'Variable' must be a valid JSONPath: a path must start with '$' at "
                        + AT + "/And/1/Variable",
                "The field 'Variable' is required with 'StringEquals' at " + AT + "/And/2/Not/Variable",
                "A choice rule must be an OBJECT at " + AT + "/And/3"), found);
    }

    @Test
    void unknownFieldsAreReported() {
        assertEquals(List.of("Field 'Default' is not supported at " + AT + "/Default"),
                problems("{\"Variable\": \"$.s\", \"StringEquals\": \"x\", \"Default\": \"Z\"}"));
        assertEquals(List.of("Field 'StringMatchesPath' is not supported at " + AT + "/StringMatchesPath",
                        "A choice rule must have one comparison operator (such as 'StringEquals'), or 'And', 'Or' or"
                                + " 'Not' at " + AT),
                problems("{\"Variable\": \"$.s\", \"StringMatchesPath\": \"$.p\"}"));
        assertEquals(List.of("Field 'a/b~c' is not supported at " + AT + "/a~1b~0c"),
                problems("{\"Variable\": \"$.s\", \"IsString\": true, \"a/b~c\": 1}"));
        assertEquals(List.of("Field 'stringEquals' is not supported at " + AT + "/stringEquals",
                        "A choice rule must have one comparison operator (such as 'StringEquals'), or 'And', 'Or' or"
                                + " 'Not' at " + AT),
                problems("{\"Variable\": \"$.s\", \"stringEquals\": \"x\"}"));
    }

    @Test
    void nextIsForbiddenInNestedRules() {
        List<String> found = new ArrayList<>();
        assertNull(ChoiceRules.parse(json("{\"Variable\": \"$.s\", \"StringEquals\": \"x\", \"Next\": \"X\"}"),
                AT + "/Not", false, found));
        assertEquals(List.of("The field 'Next' is not allowed in a nested choice rule at " + AT + "/Not/Next"), found);
        assertEquals(List.of("The field 'Next' is not allowed in a nested choice rule at " + AT + "/Not/Next"),
                problems("{\"Not\": {\"Variable\": \"$.s\", \"StringEquals\": \"x\", \"Next\": \"X\"}, \"Next\": \"Y\"}"));
    }

    @Test
    void exactlyOneOperatorIsRequired() {
        assertEquals(List.of("A choice rule must have only one comparison operator, but this one has 'StringEquals',"
                        + " 'NumericEquals' at " + AT),
                problems("{\"Variable\": \"$.s\", \"StringEquals\": \"x\", \"NumericEquals\": 1, \"Next\": \"X\"}"));
        assertEquals(List.of("A choice rule must have only one comparison operator, but this one has 'StringEquals',"
                        + " 'NumericEquals' at " + AT, "The field 'NumericEquals' should be a NUMBER, not 'y' at " + AT
                        + "/NumericEquals"),
                problems("{\"Variable\": \"$.s\", \"StringEquals\": \"x\", \"NumericEquals\": \"y\"}"));
        assertEquals(List.of("A choice rule must have one comparison operator (such as 'StringEquals'), or 'And', 'Or'"
                        + " or 'Not' at " + AT),
                problems("{\"Variable\": \"$.s\", \"Next\": \"X\"}"));
        assertEquals(List.of("A choice rule must have only one comparison operator, but this one has 'And', 'Or' at " + AT),
                problems("{\"And\": [{\"Variable\": \"$.s\", \"IsString\": true}],"
                        + " \"Or\": [{\"Variable\": \"$.s\", \"IsString\": true}]}"));
    }

    @Test
    void variableRules() {
        assertEquals(List.of("The field 'Variable' is required with 'IsPresent' at " + AT + "/Variable"),
                problems("{\"IsPresent\": true, \"Next\": \"X\"}"));
        assertEquals(List.of("The field 'Variable' is not allowed together with 'And' at " + AT + "/Variable"),
                problems("{\"Variable\": \"$.s\", \"And\": [{\"Variable\": \"$.s\", \"IsString\": true}]}"));
        assertEquals(List.of("The field 'Variable' is not allowed together with 'Not' at " + AT + "/Variable"),
                problems("{\"Variable\": \"$.s\", \"Not\": {\"Variable\": \"$.s\", \"IsString\": true}}"));
        List<String> found = problems(cmp("$[", "StringEquals", "\"x\""));
        assertEquals(1, found.size());
        assertTrue(found.get(0).startsWith("The value for the field 'Variable' must be a valid JSONPath: "), found.get(0));
        assertTrue(found.get(0).endsWith(" at " + AT + "/Variable"), found.get(0));
    }

    @Test
    void compoundOperandsAreValidated() {
        assertEquals(List.of("The field 'And' should be a non-empty ARRAY of choice rules at " + AT + "/And"),
                problems("{\"And\": []}"));
        assertEquals(List.of("The field 'Or' should be a non-empty ARRAY of choice rules at " + AT + "/Or"),
                problems("{\"Or\": {\"Variable\": \"$.s\", \"IsString\": true}}"));
        assertEquals(List.of("A choice rule must be an OBJECT at " + AT + "/Not"),
                problems("{\"Not\": [{\"Variable\": \"$.s\", \"IsString\": true}]}"));
    }

    @Test
    void nonObjectRuleIsReported() {
        List<String> found = new ArrayList<>();
        assertNull(ChoiceRules.parse(json("\"StringEquals\""), AT, true, found));
        assertEquals(List.of("A choice rule must be an OBJECT at " + AT), found);
    }
}
