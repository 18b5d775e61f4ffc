package dev.gitops.engine;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

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
            System.out.println(h.types(x));
        }
    }
}
