package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.time.Instant;

import static dev.gitops.engine.EngineHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the acceptance tests of the Amazon States Language (JSONPath) share: they run state machines as AWS Step
 * Functions would, through the AWS SDK against the engine's AWS-protocol endpoint. Each test gets a fresh engine on
 * manual time starting at 2026-01-01T00:00:00Z, with an "echo" function that answers its payload.
 */
abstract class StatesLanguageTestBase {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    EngineHarness h;
    int machines;

    @BeforeEach
    void startEngine() {
        h = EngineHarness.manual();
        h.function("echo", payload -> payload);
    }

    @AfterEach
    void stopEngine() {
        h.close();
    }

    /** Creates a state machine named m1, m2, ... and returns its ARN. */
    String machine(String definition) {
        return h.machine("m" + (++machines), definition);
    }

    /** Creates a state machine, runs one execution of it to its end and describes it. */
    DescribeExecutionResponse run(String definition, String input) {
        String x = h.start(machine(definition), "x", input);
        return h.awaitEnd(x);
    }

    static JsonNode succeededOutput(DescribeExecutionResponse d) {
        assertEquals(ExecutionStatus.SUCCEEDED, d.status(), () -> "error " + d.error() + ": " + d.cause());
        return json(d.output());
    }

    static void assertOutput(String expectedJson, DescribeExecutionResponse d) {
        assertEquals(json(expectedJson), succeededOutput(d));
    }

    static void assertFailedWith(String error, DescribeExecutionResponse d) {
        assertEquals(ExecutionStatus.FAILED, d.status(), () -> "output: " + d.output());
        assertEquals(error, d.error(), () -> "cause: " + d.cause());
    }

    /** One Pass state with these extra fields ("Type" and "End" added). */
    static String pass(String fields) {
        return "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\"," + fields + ",\"End\":true}}}";
    }
}
