package dev.gitops.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdkJsonTest {
    private static final String EVERY_TYPE = """
            {"TableName":"t",
             "Item":{"id":{"S":"a"},"n":{"N":"1.5"},"b":{"B":"AAEC/w=="},"ss":{"SS":["x","y"]},"ns":{"NS":["1","2"]},
                     "bs":{"BS":["AQ==","Ag=="]},"m":{"M":{"k":{"S":"v"},"deep":{"M":{"z":{"BOOL":false}}}}},
                     "l":{"L":[{"S":"e"},{"N":"3"},{"L":[]},{"NULL":true}]},"nul":{"NULL":true},"bool":{"BOOL":true}},
             "ConditionExpression":"attribute_not_exists(id)",
             "ExpressionAttributeNames":{"#n":"n"},
             "ReturnValues":"ALL_OLD"}""";

    private static JsonNode json(String text) {
        return Json.parseTrusted(text);
    }

    @Test
    void readsEveryAttributeValueType() {
        PutItemRequest request = SdkJson.fromJson(json(EVERY_TYPE), PutItemRequest.builder());

        assertEquals("t", request.tableName());
        assertEquals("attribute_not_exists(id)", request.conditionExpression());
        assertEquals(ReturnValue.ALL_OLD, request.returnValues());
        assertEquals(Map.of("#n", "n"), request.expressionAttributeNames());
        Map<String, AttributeValue> item = request.item();
        assertEquals("a", item.get("id").s());
        assertEquals("1.5", item.get("n").n());
        assertArrayEquals(new byte[]{0, 1, 2, (byte) 0xff}, item.get("b").b().asByteArray());
        assertEquals(List.of("x", "y"), item.get("ss").ss());
        assertEquals(List.of("1", "2"), item.get("ns").ns());
        assertEquals(List.of(SdkBytes.fromByteArray(new byte[]{1}), SdkBytes.fromByteArray(new byte[]{2})), item.get("bs").bs());
        assertEquals("v", item.get("m").m().get("k").s());
        assertEquals(false, item.get("m").m().get("deep").m().get("z").bool());
        assertEquals(4, item.get("l").l().size());
        assertEquals("3", item.get("l").l().get(1).n());
        assertTrue(item.get("l").l().get(2).hasL());
        assertEquals(true, item.get("nul").nul());
        assertEquals(true, item.get("bool").bool());
        assertEquals(AttributeValue.Type.SS, item.get("ss").type());
    }

    @Test
    void writesBackTheSameWireJson() {
        JsonNode in = json(EVERY_TYPE);
        assertEquals(in, SdkJson.toJson(SdkJson.fromJson(in, PutItemRequest.builder())));
    }

    @Test
    void unknownFieldNamesItAndTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SdkJson.fromJson(json("{\"TableName\":\"t\",\"Tablename\":\"t\"}"), PutItemRequest.builder()));
        assertTrue(e.getMessage().contains("\"Tablename\""), e.getMessage());
        assertTrue(e.getMessage().contains("TableName, Item"), e.getMessage());
    }

    @Test
    void unknownNestedFieldNamesItsPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SdkJson.fromJson(json("{\"Key\":{\"id\":{\"X\":\"a\"}}}"), GetItemRequest.builder()));
        assertTrue(e.getMessage().contains("\"Key.id.X\""), e.getMessage());
        assertTrue(e.getMessage().contains("'Key.id'"), e.getMessage());
        assertTrue(e.getMessage().contains("BOOL"), e.getMessage());
    }

    @Test
    void wrongTypesNameTheField() {
        assertMessage("{\"TableName\":5}", "'TableName' must be a STRING");
        assertMessage("{\"Item\":{\"n\":{\"N\":5}}}", "'Item.n.N' must be a STRING");
        assertMessage("{\"Item\":{\"n\":\"5\"}}", "'Item.n' must be an OBJECT");
        assertMessage("{\"Item\":{\"s\":{\"SS\":[\"a\",1]}}}", "'Item.s.SS[1]' must be a STRING");
        assertMessage("{\"Item\":{\"s\":{\"SS\":\"a\"}}}", "'Item.s.SS' must be an ARRAY");
        assertMessage("{\"Item\":{\"s\":{\"BOOL\":\"true\"}}}", "'Item.s.BOOL' must be a BOOLEAN");
        assertMessage("{\"Item\":{\"s\":{\"B\":\"not base64!\"}}}", "'Item.s.B' must be base64");
        assertMessage("{\"Item\":{\"s\":{\"L\":[null]}}}", "'Item.s.L[0]' must not be null");
        assertMessage("[]", "must be a JSON object");
    }

    private static void assertMessage(String parameters, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SdkJson.fromJson(json(parameters), PutItemRequest.builder()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void checksIntegers() {
        assertEquals(10, SdkJson.fromJson(json("{\"Limit\":10}"), QueryRequest.builder()).limit());
        assertEquals(10, SdkJson.fromJson(json("{\"Limit\":10.0}"), QueryRequest.builder()).limit());
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> SdkJson.fromJson(json("{\"Limit\":1.5}"), QueryRequest.builder()));
        assertTrue(fraction.getMessage().contains("'Limit' must be an INTEGER"), fraction.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> SdkJson.fromJson(json("{\"Limit\":3000000000}"), QueryRequest.builder()));
        assertTrue(range.getMessage().contains("'Limit' must be between"), range.getMessage());
    }

    @Test
    void nullMembersAreAbsent() {
        GetItemRequest request = SdkJson.fromJson(json("{\"TableName\":null,\"ConsistentRead\":true}"), GetItemRequest.builder());
        assertNull(request.tableName());
        assertEquals(true, request.consistentRead());
    }

    @Test
    void omitsNullsAndAutoConstructedCollections() {
        assertEquals(json("{}"), SdkJson.toJson(GetItemResponse.builder().build()));
        GetItemResponse response = GetItemResponse.builder()
                .item(Map.of("id", AttributeValue.fromS("a")))
                .consumedCapacity(ConsumedCapacity.builder().tableName("t").capacityUnits(0.5).build())
                .build();
        assertEquals(json("{\"Item\":{\"id\":{\"S\":\"a\"}},\"ConsumedCapacity\":{\"TableName\":\"t\",\"CapacityUnits\":0.5}}"),
                SdkJson.toJson(response));
    }

    @Test
    void writesTimestampsAsEpochSecondsAndLongs() {
        DescribeTableResponse response = DescribeTableResponse.builder().table(TableDescription.builder()
                .tableName("t")
                .creationDateTime(Instant.ofEpochSecond(1700000000L, 250_000_000))
                .provisionedThroughput(ProvisionedThroughputDescription.builder().readCapacityUnits(5L)
                        .lastIncreaseDateTime(Instant.ofEpochSecond(1700000001L)).build())
                .itemCount(3L)
                .build()).build();
        JsonNode out = SdkJson.toJson(response);
        assertEquals("1700000000.25", out.at("/Table/CreationDateTime").asText());
        assertEquals("1700000001", out.at("/Table/ProvisionedThroughput/LastIncreaseDateTime").asText());
        assertEquals(5L, out.at("/Table/ProvisionedThroughput/ReadCapacityUnits").longValue());
        assertEquals(3L, out.at("/Table/ItemCount").longValue());
        assertFalse(out.get("Table").has("AttributeDefinitions"));

        DescribeTableResponse back = SdkJson.fromJson(out, DescribeTableResponse.builder());
        assertEquals(response, back);
    }
}
