package dev.gitops.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntrinsicsTest {
    private static final JsonNode DATA = json("""
            {
              "name": "Arnav",
              "template": "Hello, my name is {}.",
              "list": [1, 2, 3],
              "nested": {"a": {"x,y": "comma", "b": [10, 20]}},
              "escaped": "{\\"foo\\": \\"bar\\"}",
              "object": {"foo": "bar"},
              "json1": {"a": {"a1": 1, "a2": 2}, "b": 2},
              "json2": {"a": {"a3": 1, "a4": 2}, "c": 3},
              "text": "Data to encode",
              "big": 2147483647,
              "half": 1.5,
              "nothing": null
            }
            """);
    private static final JsonNode CONTEXT = json("""
            {"Execution": {"Id": "arn:aws:states:eu-west-1:123456789012:execution:machine:run-1", "Name": "run-1"}}
            """);

    private static JsonNode json(String text) {
        return Json.parseTrusted(text);
    }

    private static JsonNode eval(String expression) {
        assertNull(Intrinsics.problem(expression), expression);
        return Intrinsics.evaluate(expression, DATA, CONTEXT);
    }

    private static StatesException failure(String expression) {
        return assertThrows(StatesException.class, () -> Intrinsics.evaluate(expression, DATA, CONTEXT));
    }

    private static void assertIntrinsicFailure(String expression, String... fragments) {
        StatesException e = failure(expression);
        assertEquals(StatesErrors.INTRINSIC_FAILURE, e.error(), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.cause().contains(fragment), () -> "'" + e.cause() + "' should contain '" + fragment + "'");
        }
    }

    @Test
    void recognisesIntrinsics() {
        assertTrue(Intrinsics.isIntrinsic("States.Array()"));
        assertFalse(Intrinsics.isIntrinsic("$.a"));
        assertFalse(Intrinsics.isIntrinsic(null));
    }

    @Test
    void format() {
        assertEquals("Hello, my name is Arnav.", eval("States.Format('Hello, my name is {}.', $.name)").textValue());
        assertEquals("Hello, my name is Arnav.", eval("States.Format($.template, $.name)").textValue());
        assertEquals("no placeholders", eval("States.Format('no placeholders')").textValue());
        assertEquals("1 1.5 true null x", eval("States.Format('{} {} {} {} {}', 1, 1.5, true, null, 'x')").textValue());
        assertEquals("[1, 2, 3] {foo=bar}", eval("States.Format('{} {}', $.list, $.object)").textValue());
    }

    @Test
    void formatEscapes() {
        assertEquals("{literal} it's a\\b Arnav",
                eval("States.Format('\\{literal\\} it\\'s a\\\\b {}', $.name)").textValue());
        assertEquals("{}", eval("States.Format('\\{\\}')").textValue());
    }

    @Test
    void formatFailures() {
        assertNotNull(Intrinsics.problem("States.Format('{} and {}', $.name)"));
        assertNotNull(Intrinsics.problem("States.Format(1)"));
        assertNotNull(Intrinsics.problem("States.Format()"));
        assertIntrinsicFailure("States.Format($.template)", "States.Format", "1 '{}' placeholder", "0 values");
        assertIntrinsicFailure("States.Format($.list)", "States.Format", "must be a string");
    }

    @Test
    void nestedCalls() {
        assertEquals("3", eval("States.Format('{}', States.ArrayLength($.list))").textValue());
        assertEquals("execution", eval("States.ArrayGetItem(States.StringSplit($$.Execution.Id, ':'), "
                + "States.MathAdd(States.ArrayLength(States.StringSplit($$.Execution.Id, ':')), -3))").textValue());
    }

    @Test
    void contextPaths() {
        assertEquals("run-1 eu-west-1", eval("States.Format('{} {}', $$.Execution.Name, "
                + "States.ArrayGetItem(States.StringSplit($$.Execution.Id, ':'), 3))").textValue());
    }

    @Test
    void pathsWithBracketsAndQuotes() {
        assertEquals("comma", eval("States.Format('{}', $.nested.a['x,y'])").textValue());
        assertEquals(20, eval("States.ArrayGetItem( $.nested.a['b'] , 1 )").intValue());
        assertEquals(json("[[20]]"), eval("States.Array($.nested.a.b[?(@ > 15)])"));
        assertEquals("null", eval("States.Format('{}', $.nothing)").textValue());
    }

    @Test
    void unresolvedPaths() {
        StatesException data = failure("States.Format('{}', $.missing)");
        assertEquals(StatesErrors.PARAMETER_PATH_FAILURE, data.error());
        assertTrue(data.cause().contains("$.missing"), data.cause());
        StatesException context = failure("States.Array($$.Execution.Missing)");
        assertEquals(StatesErrors.PARAMETER_PATH_FAILURE, context.error());
        assertTrue(context.cause().contains("$$.Execution.Missing"), context.cause());
        assertTrue(context.cause().contains("context object"), context.cause());
    }

    @Test
    void stringToJson() {
        assertEquals(json("{\"foo\": \"bar\"}"), eval("States.StringToJson($.escaped)"));
        assertEquals(json("[1,2]"), eval("States.StringToJson('[1,2]')"));
        assertTrue(eval("States.StringToJson('  ')").isNull());
        assertIntrinsicFailure("States.StringToJson('\\{not json')", "States.StringToJson", "not valid JSON");
        assertIntrinsicFailure("States.StringToJson($.list)", "States.StringToJson", "must be a string");
    }

    @Test
    void jsonToString() {
        assertEquals("{\"foo\":\"bar\"}", eval("States.JsonToString($.object)").textValue());
        assertEquals("[1,2,3]", eval("States.JsonToString($.list)").textValue());
        assertNotNull(Intrinsics.problem("States.JsonToString($.a, $.b)"));
        assertIntrinsicFailure("States.JsonToString()", "States.JsonToString", "takes 1 argument");
    }

    @Test
    void array() {
        assertEquals(json("[\"Arnav\", 1, -2.5, true, false, null, [1,2,3]]"),
                eval("States.Array($.name, 1, -2.5, true, false, null, $.list)"));
        assertEquals(json("[]"), eval("States.Array()"));
        assertNotNull(Intrinsics.problem("States.Array(1,)"));
    }

    @Test
    void arrayPartition() {
        assertEquals(json("[[1,2,3,4],[5,6,7,8],[9]]"), eval("States.ArrayPartition(States.ArrayRange(1, 9, 1), 4)"));
        assertEquals(json("[[1,2,3]]"), eval("States.ArrayPartition($.list, 10)"));
        assertEquals(json("[[1,2],[3]]"), eval("States.ArrayPartition($.list, $.half)"));
        assertEquals(json("[]"), eval("States.ArrayPartition(States.Array(), 2)"));
        assertIntrinsicFailure("States.ArrayPartition($.list, 0)", "States.ArrayPartition", "positive");
        assertIntrinsicFailure("States.ArrayPartition($.name, 2)", "States.ArrayPartition", "first argument must be an array");
    }

    @Test
    void arrayContains() {
        assertTrue(eval("States.ArrayContains($.list, 2)").booleanValue());
        assertTrue(eval("States.ArrayContains($.list, 2.0)").booleanValue());
        assertFalse(eval("States.ArrayContains($.list, '2')").booleanValue());
        assertTrue(eval("States.ArrayContains(States.Array($.object), States.StringToJson('\\{\"foo\":\"bar\"\\}'))")
                .booleanValue());
        assertIntrinsicFailure("States.ArrayContains($.object, 1)", "States.ArrayContains", "must be an array");
    }

    @Test
    void arrayRange() {
        assertEquals(json("[1,3,5,7,9]"), eval("States.ArrayRange(1, 9, 2)"));
        assertEquals(json("[1,3,5,7]"), eval("States.ArrayRange(1, 8, 2)"));
        assertEquals(json("[9,6,3]"), eval("States.ArrayRange(9, 1, -3)"));
        assertEquals(json("[]"), eval("States.ArrayRange(9, 1, 1)"));
        assertEquals(1000, eval("States.ArrayRange(1, 1000, 1)").size());
        assertIntrinsicFailure("States.ArrayRange(1, 1001, 1)", "States.ArrayRange", "1001 elements", "1000");
        assertIntrinsicFailure("States.ArrayRange(1, 9, 0)", "States.ArrayRange", "must not be 0");
        assertIntrinsicFailure("States.ArrayRange(1, 'x', 1)", "States.ArrayRange", "second argument");
        assertNotNull(Intrinsics.problem("States.ArrayRange(1, 9)"));
    }

    @Test
    void arrayGetItem() {
        assertEquals(2, eval("States.ArrayGetItem($.list, 1)").intValue());
        assertEquals(json("[10,20]"), eval("States.ArrayGetItem(States.Array($.nested.a.b), 0)"));
        StatesException e = failure("States.ArrayGetItem($.list, 5)");
        assertEquals(StatesErrors.INTRINSIC_FAILURE, e.error());
        assertEquals("States.ArrayGetItem: index 5 is out of range for an array of 3 elements", e.cause());
        assertIntrinsicFailure("States.ArrayGetItem($.list, -1)", "index -1 is out of range");
        assertIntrinsicFailure("States.ArrayGetItem($.list, 1.5)", "must be an integer");
    }

    @Test
    void arrayLength() {
        assertEquals(3, eval("States.ArrayLength($.list)").intValue());
        assertEquals(0, eval("States.ArrayLength(States.Array())").intValue());
        assertIntrinsicFailure("States.ArrayLength($.name)", "States.ArrayLength: the argument must be an array, but it is a string");
    }

    @Test
    void arrayUnique() {
        assertEquals(json("[1,2,3,4]"), eval("States.ArrayUnique(States.Array(1, 2, 3, 3, 3, 3, 3, 3, 4))"));
        assertEquals(json("[{\"a\":1,\"b\":2},\"1\",1]"),
                eval("States.ArrayUnique(States.Array(States.StringToJson('\\{\"a\":1,\"b\":2\\}'),"
                        + " States.StringToJson('\\{\"b\":2,\"a\":1\\}'), '1', 1, 1.0))"));
        assertIntrinsicFailure("States.ArrayUnique($.object)", "States.ArrayUnique", "must be an array");
    }

    @Test
    void base64() {
        assertEquals("RGF0YSB0byBlbmNvZGU=", eval("States.Base64Encode($.text)").textValue());
        assertEquals("Data to encode", eval("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')").textValue());
        assertEquals("héllo", eval("States.Base64Decode(States.Base64Encode('héllo'))").textValue());
        String tooLong = "a".repeat(10_001);
        assertIntrinsicFailure("States.Base64Encode('" + tooLong + "')", "States.Base64Encode", "10001 characters");
        assertEquals(13_336, eval("States.Base64Encode('" + "a".repeat(10_000) + "')").textValue().length());
        assertIntrinsicFailure("States.Base64Decode('" + tooLong + "')", "States.Base64Decode", "10001 characters");
        assertIntrinsicFailure("States.Base64Decode('not base64!')", "States.Base64Decode", "not valid Base64");
        assertIntrinsicFailure("States.Base64Encode(1)", "States.Base64Encode", "must be a string");
    }

    @Test
    void hash() {
        assertEquals("5d41402abc4b2a76b9719d911017c592", eval("States.Hash('hello', 'MD5')").textValue());
        assertEquals("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", eval("States.Hash('hello', 'SHA-1')").textValue());
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                eval("States.Hash('hello', 'SHA-256')").textValue());
        assertEquals("59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f",
                eval("States.Hash('hello', 'SHA-384')").textValue());
        assertEquals("9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c"
                + "4663475c2e5c3adef46f73bcdec043", eval("States.Hash('hello', 'SHA-512')").textValue());
        assertEquals("3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179",
                eval("States.Hash('héllo', 'SHA-256')").textValue());
        assertEquals(64, eval("States.Hash('" + "a".repeat(10_000) + "', 'SHA-256')").textValue().length());
        assertIntrinsicFailure("States.Hash('hello', 'SHA-224')", "States.Hash", "'SHA-224' is not a supported algorithm");
        assertIntrinsicFailure("States.Hash('" + "a".repeat(10_001) + "', 'MD5')", "States.Hash", "10001 characters");
        assertIntrinsicFailure("States.Hash($.list, 'MD5')", "States.Hash", "first argument must be a string");
    }

    @Test
    void jsonMerge() {
        assertEquals(json("{\"a\": {\"a3\": 1, \"a4\": 2}, \"b\": 2, \"c\": 3}"),
                eval("States.JsonMerge($.json1, $.json2, false)"));
        assertEquals(json("{\"a\": {\"a1\": 1, \"a2\": 2}, \"b\": 2}"), DATA.get("json1"));
        assertIntrinsicFailure("States.JsonMerge($.json1, $.json2, true)", "States.JsonMerge", "shallow");
        assertIntrinsicFailure("States.JsonMerge($.json1, $.list, false)", "States.JsonMerge", "second argument must be an object");
        assertIntrinsicFailure("States.JsonMerge($.json1, $.json2, 'false')", "States.JsonMerge", "boolean false");
    }

    @Test
    void mathRandom() {
        for (int i = 0; i < 50; i++) {
            int value = eval("States.MathRandom(1, 4)").intValue();
            assertTrue(value >= 1 && value < 4, "value " + value);
        }
        assertEquals(eval("States.MathRandom(0, 1000, 7)"), eval("States.MathRandom(0, 1000, 7)"));
        assertTrue(eval("States.MathRandom(1, 2)").isInt());
        assertEquals(1, eval("States.MathRandom(1, 2)").intValue());
        assertIntrinsicFailure("States.MathRandom(5, 5)", "States.MathRandom", "less than the end");
        assertIntrinsicFailure("States.MathRandom('1', 5)", "States.MathRandom", "first argument must be a number");
        assertNotNull(Intrinsics.problem("States.MathRandom(1)"));
    }

    @Test
    void mathAdd() {
        assertEquals(110, eval("States.MathAdd(111, -1)").intValue());
        assertEquals(3, eval("States.MathAdd(1.49, 1.5)").intValue());
        assertEquals(-2, eval("States.MathAdd(-1.49, -1.5)").intValue());
        assertEquals(2147483648L, eval("States.MathAdd($.big, 1)").longValue());
        assertIntrinsicFailure("States.MathAdd(2147483648, 1)", "States.MathAdd", "-2147483648 to 2147483647");
        assertIntrinsicFailure("States.MathAdd($.name, 1)", "States.MathAdd", "first argument must be a number");
    }

    @Test
    void stringSplit() {
        assertEquals(json("[\"1\",\"2\",\"3\",\"4\",\"5\"]"), eval("States.StringSplit('1,2,3,4,5', ',')"));
        assertEquals(json("[\"This\",\"is\",\"a\",\"test\",\"string\"]"),
                eval("States.StringSplit('This.is+a,test=string', '.+,=')"));
        assertEquals(json("[\"a\",\"b\"]"), eval("States.StringSplit(',,a,,b,', ',')"));
        assertEquals(json("[\"Hello\",\"World\"]"), eval("States.StringSplit('Hello\nWorld', '\n')"));
        assertIntrinsicFailure("States.StringSplit($.list, ',')", "States.StringSplit", "first argument must be a string");
    }

    @Test
    void uuid() {
        String uuid = eval("States.UUID()").textValue();
        assertTrue(uuid.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), uuid);
        assertNotNull(Intrinsics.problem("States.UUID(1)"));
        assertIntrinsicFailure("States.UUID(1)", "States.UUID takes no arguments");
    }

    @Test
    void problems() {
        assertNull(Intrinsics.problem("States.Format('{}', States.ArrayLength($.list))"));
        assertNull(Intrinsics.problem("  States.Array( 1 ,  -2.5e3 , $.a['x,y'] )  ".strip()));
        assertTrue(Intrinsics.problem("States.Unknown($.a)").contains("States.Unknown"));
        assertNotNull(Intrinsics.problem("States.Format('unterminated)"));
        assertNotNull(Intrinsics.problem("States.Array(1"));
        assertNotNull(Intrinsics.problem("States.Array(1) trailing"));
        assertNotNull(Intrinsics.problem("States.Array(1 2)"));
        assertNotNull(Intrinsics.problem("States.Array('bad \\n escape')"));
        assertNotNull(Intrinsics.problem("States.Array($.a[)"));
        assertNotNull(Intrinsics.problem("States.Array(01)"));
        assertNotNull(Intrinsics.problem("States.Array(1.)"));
        assertNotNull(Intrinsics.problem("States.Array(yes)"));
        assertNotNull(Intrinsics.problem("States.Array"));
        assertNotNull(Intrinsics.problem("States.(1)"));
        assertNotNull(Intrinsics.problem("States.ArrayLength($.a, $.b)"));
        assertNotNull(Intrinsics.problem("$.a"));
    }

    @Test
    void invalidCallsFailAtEvaluation() {
        assertIntrinsicFailure("States.Unknown($.name)", "States.Unknown");
        assertIntrinsicFailure("States.Array(1", "not closed");
        assertIntrinsicFailure("$.name", "States.");
    }

    @Test
    void parsedExpressionsAreReusable() {
        String expression = "States.Format('{}-{}', $.name, States.ArrayLength($.list))";
        assertEquals("Arnav-3", eval(expression).textValue());
        assertEquals("Bo-0", Intrinsics.evaluate(expression, json("{\"name\": \"Bo\", \"list\": []}"), CONTEXT).textValue());
    }
}
