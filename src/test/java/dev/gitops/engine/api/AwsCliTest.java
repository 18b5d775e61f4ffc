package dev.gitops.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.EngineHarness;
import dev.gitops.engine.data.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.gitops.engine.api.ApiFixtures.PASS;
import static dev.gitops.engine.api.ApiFixtures.PREFIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Acceptance test of the AWS-protocol API through the AWS CLI; skipped when {@code aws} is not on PATH. */
class AwsCliTest {
    private static boolean awsOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "aws"))) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode cli(EngineHarness h, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "stepfunctions", "--endpoint-url",
                "http://127.0.0.1:" + h.server.port(), "--region", "us-east-1", "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path dir = Files.createTempDirectory("aws-cli");
        env.put("AWS_CONFIG_FILE", dir.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("credentials").toString());
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aws " + args[0] + " did not finish within 60 s");
        }
        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        assertEquals(0, process.exitValue(), "aws " + String.join(" ", args) + " failed: " + stderr + stdout);
        return Json.parse(stdout);
    }

    @Test
    void awsCliWorksAgainstTheEndpoint() throws Exception {
        Assumptions.assumeTrue(awsOnPath(), "the AWS CLI is not on PATH");
        try (EngineHarness h = EngineHarness.manual()) {
            String arn = h.machine("cli-machine", PASS);

            JsonNode list = cli(h, "list-state-machines");
            assertEquals(1, list.get("stateMachines").size(), list.toString());
            assertEquals("cli-machine", list.get("stateMachines").get(0).get("name").asText());
            assertEquals(arn, list.get("stateMachines").get(0).get("stateMachineArn").asText());
            assertEquals("STANDARD", list.get("stateMachines").get(0).get("type").asText());

            JsonNode started = cli(h, "start-execution", "--state-machine-arn", arn, "--name", "from-cli",
                    "--input", "{\"in\":\"cli\"}");
            String x = started.get("executionArn").asText();
            assertEquals(PREFIX + "execution:cli-machine:from-cli", x);
            assertTrue(started.has("startDate"), started.toString());
            h.awaitEnd(x);

            JsonNode described = cli(h, "describe-execution", "--execution-arn", x);
            assertEquals("SUCCEEDED", described.get("status").asText(), described.toString());
            assertEquals("from-cli", described.get("name").asText());
            assertEquals(arn, described.get("stateMachineArn").asText());
            assertEquals("{\"in\":\"cli\"}", described.get("input").asText());
            assertEquals("{\"in\":\"cli\",\"a\":{\"x\":1}}", described.get("output").asText());

            JsonNode history = cli(h, "get-execution-history", "--execution-arn", x);
            JsonNode events = history.get("events");
            assertTrue(events.size() >= 4, history.toString());
            assertEquals("ExecutionStarted", events.get(0).get("type").asText());
            assertEquals("{\"in\":\"cli\"}", events.get(0).get("executionStartedEventDetails").get("input").asText());
            assertEquals("ExecutionSucceeded", events.get(events.size() - 1).get("type").asText());

            JsonNode reversed = cli(h, "get-execution-history", "--execution-arn", x, "--reverse-order",
                    "--no-include-execution-data");
            assertEquals("ExecutionSucceeded", reversed.get("events").get(0).get("type").asText());
            assertFalse(reversed.get("events").get(0).path("executionSucceededEventDetails").has("output"),
                    reversed.toString());
        }
    }
}
