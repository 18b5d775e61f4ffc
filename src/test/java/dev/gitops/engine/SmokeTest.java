package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
    @Test
    void passChainSucceeds() {
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("smoke", """
                    {"StartAt":"A","States":{
                      "A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.a","Next":"B"},
                      "B":{"Type":"Succeed"}}}""");
            String x = h.start(arn, "one", "{\"in\":true}");
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status());
            assertEquals("{\"in\":true,\"a\":{\"x\":1}}", d.output());
        }
    }

    @Test
    void callbackTaskCompletes() throws Exception {
        AtomicReference<JsonNode> received = new AtomicReference<>();
        try (EngineHarness h = EngineHarness.manual().function("notify", payload -> {
            received.set(payload);
            return Json.object().put("sent", true);
        })) {
            String arn = h.machine("callback", """
                    {"StartAt":"Wait","States":{
                      "Wait":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                        "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token","who.$":"$.who"}},
                        "ResultPath":"$.decision","End":true}}}""");
            String x = h.start(arn, "one", "{\"who\":\"ann\"}");
            h.awaitEvent(x, "TaskSubmitted");
            h.sfn.sendTaskSuccess(b -> b.taskToken(received.get().get("token").asText()).output("{\"approved\":true}"));
            DescribeExecutionResponse d = h.awaitEnd(x);
            assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.cause());
            assertEquals("{\"who\":\"ann\",\"decision\":{\"approved\":true}}", d.output());
            System.out.println(h.types(x));
        }
    }
}
