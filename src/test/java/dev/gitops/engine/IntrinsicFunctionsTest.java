package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static dev.gitops.engine.EngineHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests of the intrinsic functions ({@code States.Format(...)} and the rest) in the states of running state
 * machines.
 */
class IntrinsicFunctionsTest extends StatesLanguageTestBase {
    private static final String INPUT = """
            {"name":"Arnav","template":"Hello, my name is {}.","escaped":"{\\"foo\\": \\"bar\\"}",
             "obj":{"foo":"bar","n":[1,2]},"nums":[1,2,3,4,5,6,7,8,9],"dups":[1,2,3,3,3,3,3,3,4],
             "text":"Data to encode","b64":"RGF0YSB0byBlbmNvZGU=","m1":{"a":1,"b":{"c":1}},"m2":{"b":{"d":2},"e":3},
             "csv":"1,2,3,4,5","marks":"This.is+a,test=string"}""";

    @Test
    void everyIntrinsicFunctionComputesItsValue() throws Exception {
        DescribeExecutionResponse d = run(pass("""
                "Parameters":{
                  "format.$":"States.Format('Hello, my name is {}.', $.name)",
                  "formatPath.$":"States.Format($.template, $.name)",
                  "parsed.$":"States.StringToJson($.escaped)",
                  "string.$":"States.JsonToString($.obj)",
                  "array.$":"States.Array('Foo', 2020, $.obj, null)",
                  "partition.$":"States.ArrayPartition($.nums, 4)",
                  "contains.$":"States.ArrayContains($.nums, 5)",
                  "containsNot.$":"States.ArrayContains($.nums, 42)",
                  "range.$":"States.ArrayRange(1, 9, 2)",
                  "item.$":"States.ArrayGetItem($.nums, 5)",
                  "length.$":"States.ArrayLength($.nums)",
                  "unique.$":"States.ArrayUnique($.dups)",
                  "encoded.$":"States.Base64Encode($.text)",
                  "decoded.$":"States.Base64Decode($.b64)",
                  "hash.$":"States.Hash($.text, 'SHA-256')",
                  "merged.$":"States.JsonMerge($.m1, $.m2, false)",
                  "random.$":"States.MathRandom(1, 999)",
                  "sum.$":"States.MathAdd(111, -1)",
                  "split.$":"States.StringSplit($.csv, ',')",
                  "splitMany.$":"States.StringSplit($.marks, '.+,=')",
                  "uuid.$":"States.UUID()",
                  "nested.$":"States.ArrayGetItem(States.StringSplit('a.b.c', '.'), 1)"}"""), INPUT);
        JsonNode out = succeededOutput(d);
        assertEquals("Hello, my name is Arnav.", out.get("format").asText());
        assertEquals("Hello, my name is Arnav.", out.get("formatPath").asText());
        assertEquals(json("{\"foo\":\"bar\"}"), out.get("parsed"));
        assertTrue(out.get("string").isTextual(), "JsonToString returns a string");
        assertEquals(json("{\"foo\":\"bar\",\"n\":[1,2]}"), json(out.get("string").asText()));
        assertEquals(json("[\"Foo\",2020,{\"foo\":\"bar\",\"n\":[1,2]},null]"), out.get("array"));
        assertEquals(json("[[1,2,3,4],[5,6,7,8],[9]]"), out.get("partition"));
        assertEquals(json("true"), out.get("contains"));
        assertEquals(json("false"), out.get("containsNot"));
        assertEquals(json("[1,3,5,7,9]"), out.get("range"));
        assertEquals(json("6"), out.get("item"));
        assertEquals(json("9"), out.get("length"));
        assertEquals(json("[1,2,3,4]"), out.get("unique"));
        assertEquals("RGF0YSB0byBlbmNvZGU=", out.get("encoded").asText());
        assertEquals("Data to encode", out.get("decoded").asText());
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("Data to encode".getBytes(StandardCharsets.UTF_8)));
        assertEquals(sha256, out.get("hash").asText());
        assertEquals(json("{\"a\":1,\"b\":{\"d\":2},\"e\":3}"), out.get("merged"), "JsonMerge is shallow");
        JsonNode random = out.get("random");
        assertTrue(random.isIntegralNumber(), random::toString);
        assertTrue(random.asInt() >= 1 && random.asInt() <= 999, random::toString);
        assertEquals(json("110"), out.get("sum"));
        assertEquals(json("[\"1\",\"2\",\"3\",\"4\",\"5\"]"), out.get("split"));
        assertEquals(json("[\"This\",\"is\",\"a\",\"test\",\"string\"]"), out.get("splitMany"));
        assertTrue(out.get("uuid").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
                out.get("uuid")::toString);
        assertEquals("b", out.get("nested").asText());
    }

    @Test
    void intrinsicsWorkInResultSelector() {
        h.function("list", payload -> json("[\"x\",\"y\",\"z\"]"));
        DescribeExecutionResponse d = run("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                  "Parameters":{"FunctionName":"list"},
                  "ResultSelector":{"count.$":"States.ArrayLength($.Payload)","first.$":"States.ArrayGetItem($.Payload, 0)"},
                  "End":true}}}""", "{}");
        assertOutput("{\"count\":3,\"first\":\"x\"}", d);
    }

    @Test
    void uuidIsNewForEachCall() {
        JsonNode out = succeededOutput(run(pass("\"Parameters\":{\"a.$\":\"States.UUID()\",\"b.$\":\"States.UUID()\"}"), "{}"));
        assertFalse(out.get("a").asText().equals(out.get("b").asText()), out::toString);
    }

    @Test
    void invalidJsonInStringToJsonFailsWithIntrinsicFailure() {
        assertFailedWith("States.IntrinsicFailure",
                run(pass("\"Parameters\":{\"x.$\":\"States.StringToJson($.bad)\"}"), "{\"bad\":\"{not json\"}"));
    }

    @Test
    void arrayRangeOfMoreThan1000ElementsFailsWithIntrinsicFailure() {
        assertFailedWith("States.IntrinsicFailure",
                run(pass("\"Parameters\":{\"x.$\":\"States.ArrayRange(1, 2000, 1)\"}"), "{}"));
    }
}
