package dev.gitops.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.EngineHarness;
import dev.gitops.engine.data.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.gitops.engine.EngineHarness.ROLE;
import static dev.gitops.engine.api.ApiFixtures.PASS;
import static dev.gitops.engine.api.ApiFixtures.PREFIX;
import static dev.gitops.engine.api.ApiFixtures.WAIT_HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests of the AWS-protocol API through raw HTTP: unknown operations, malformed bodies and members are
 * refused with HTTP 400 and an AWS error type, and no bad request produces a 5xx.
 */
class RawHttpApiTest {
    private record Raw(int status, JsonNode body, String text) {
        String type() {
            return body == null ? null : body.path("__type").asText(null);
        }

        String message() {
            return body == null ? "" : body.path("message").asText("");
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Raw post(EngineHarness h, String operation, String body) throws IOException, InterruptedException {
        return post(h, operation, body, "test", "test");
    }

    /** A call signed by AWS's SDK signer with {@code key}/{@code secret}; unsigned when {@code key} is null. */
    private static Raw post(EngineHarness h, String operation, String body, String key, String secret)
            throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + h.server.port() + "/");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (key != null) {
            SignedRequests.headers(uri, operation == null ? "" : "AWSStepFunctions." + operation, body, key, secret)
                    .forEach((name, value) -> {
                        if (operation != null || !name.equalsIgnoreCase("X-Amz-Target")) {
                            request.header(name, value);
                        }
                    });
        } else {
            request.header("Content-Type", "application/x-amz-json-1.0");
            if (operation != null) {
                request.header("X-Amz-Target", "AWSStepFunctions." + operation);
            }
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = Json.parse(response.body());
        } catch (IOException ignored) {
            // asserted by callers
        }
        return new Raw(response.statusCode(), json, response.body());
    }

    private static Raw expect400(Raw r, String typeSuffix, String... words) {
        assertEquals(400, r.status(), r.text());
        assertNotNull(r.type(), "no __type in " + r.text());
        assertTrue(r.type().endsWith("#" + typeSuffix), "__type " + r.type() + " is not " + typeSuffix + ": " + r.text());
        for (String word : words) {
            assertTrue(r.message().contains(word), "message does not name '" + word + "': " + r.text());
        }
        return r;
    }

    @Test
    void anUnsignedCallIsRefusedWithAwssErrorAndGetsNoData() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            h.sfn.createStateMachine(b -> b.name("secret-workflow").definition(PASS).roleArn(ROLE));
            Raw r = post(h, "ListStateMachines", "{}", null, null);
            assertEquals(403, r.status(), r.text());
            assertTrue(r.type().endsWith("#MissingAuthenticationTokenException"), r.text());
            assertTrue(!r.text().contains("secret-workflow"), "no data: " + r.text());
        }
    }

    @Test
    void aCallSignedWithTheWrongSecretOrAnUnknownKeyIsRefused() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            h.sfn.createStateMachine(b -> b.name("secret-workflow").definition(PASS).roleArn(ROLE));
            Raw wrongSecret = post(h, "ListStateMachines", "{}", "test", "not-the-secret");
            assertEquals(403, wrongSecret.status(), wrongSecret.text());
            assertTrue(wrongSecret.type().endsWith("#InvalidSignatureException"), wrongSecret.text());
            Raw unknownKey = post(h, "ListStateMachines", "{}", "AKIAEXAMPLE", "test");
            assertEquals(403, unknownKey.status(), unknownKey.text());
            assertTrue(unknownKey.type().endsWith("#UnrecognizedClientException"), unknownKey.text());
            assertTrue(!wrongSecret.text().contains("secret-workflow") && !unknownKey.text().contains("secret-workflow"));
            Raw signed = post(h, "ListStateMachines", "{}", "test", "test");
            assertEquals(200, signed.status(), signed.text());
            assertTrue(signed.text().contains("secret-workflow"), "the same call signed with the key works");
        }
    }

    @Test
    void aSignedBodyChangedOnTheWayIsRefused() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            URI uri = URI.create("http://127.0.0.1:" + h.server.port() + "/");
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"maxResults\":1}", StandardCharsets.UTF_8));
            SignedRequests.headers(uri, "AWSStepFunctions.ListStateMachines", "{}", "test", "test").forEach(request::header);
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, response.statusCode(), response.body());
            assertTrue(response.body().contains("InvalidSignatureException"), response.body());
        }
    }

    @Test
    void aRequestNamingAForeignHostIsRefusedBeforeAnythingIsRead() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            for (String host : List.of("attacker.example", "attacker.example:" + h.server.port(), "127.0.0.1.nip.io",
                    "192.168.1.20")) {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", h.server.port())) {
                    String body = "{}";
                    socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-amz-json-1.0"
                            + "\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\nContent-Length: " + body.length()
                            + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(answer.startsWith("HTTP/1.1 403"), host + ": " + answer);
                    assertTrue(answer.contains("is not a loopback name or address"), host + ": " + answer);
                }
            }
        }
    }

    @Test
    void rawUnknownOperation() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            expect400(post(h, "FlyToTheMoon", "{}"), "UnknownOperationException", "FlyToTheMoon");
            expect400(post(h, null, "{}"), "UnknownOperationException");
        }
    }

    @Test
    void rawBodyNotJsonIsSerializationException() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            expect400(post(h, "ListStateMachines", "this is not json"), "SerializationException");
            expect400(post(h, "ListStateMachines", "{\"maxResults\":"), "SerializationException");
            expect400(post(h, "ListStateMachines", "[]"), "SerializationException");
        }
    }

    @Test
    void rawFieldOfTheWrongTypeIs400() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            h.machine("typed", PASS);
            Raw r = post(h, "DescribeStateMachine", "{\"stateMachineArn\":42}");
            assertEquals(400, r.status(), r.text());
            assertTrue(r.message().contains("stateMachineArn"), r.text());
            r = post(h, "StartExecution", "{\"stateMachineArn\":\"" + PREFIX + "stateMachine:typed\",\"input\":{\"a\":1}}");
            assertEquals(400, r.status(), r.text());
            assertTrue(r.message().contains("input"), r.text());
            r = post(h, "ListStateMachines", "{\"maxResults\":\"10\"}");
            assertEquals(400, r.status(), r.text());
            assertTrue(r.message().contains("maxResults"), r.text());
        }
    }

    @Test
    void rawUnknownMemberIsValidationException() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            expect400(post(h, "ListStateMachines", "{\"colour\":\"blue\"}"), "ValidationException", "colour");
            expect400(post(h, "DescribeStateMachine", "{\"stateMachineArn\":\"" + PREFIX + "stateMachine:a\",\"extra\":1}"),
                    "ValidationException", "extra");
        }
    }

    @Test
    void rawMissingRequiredMemberIsValidationException() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            expect400(post(h, "DescribeStateMachine", "{}"), "ValidationException", "stateMachineArn");
            expect400(post(h, "DescribeExecution", "{}"), "ValidationException", "executionArn");
            expect400(post(h, "StartExecution", "{\"name\":\"n\"}"), "ValidationException", "stateMachineArn");
            expect400(post(h, "CreateStateMachine", "{\"name\":\"n\",\"roleArn\":\"" + ROLE + "\"}"),
                    "ValidationException", "definition");
            expect400(post(h, "CreateStateMachine", "{\"name\":\"n\",\"definition\":\"{}\"}"), "ValidationException", "roleArn");
            expect400(post(h, "SendTaskSuccess", "{\"output\":\"{}\"}"), "ValidationException", "taskToken");
            expect400(post(h, "GetExecutionHistory", ""), "ValidationException", "executionArn");
        }
    }

    /** maxResults outside 0..1000 must be refused even when it overflows an int (4294967301 is 2^32 + 5). */
    @Test
    void rawMaxResultsBeyondIntRangeIsRefused() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            h.machine("one", PASS);
            List<String> accepted = new ArrayList<>();
            for (String max : List.of("4294967301", "4294967296", "99999999999999999999999", "-4294967295", "1.5", "1e3")) {
                Raw r = post(h, "ListStateMachines", "{\"maxResults\":" + max + "}");
                if (r.status() != 400) {
                    accepted.add("maxResults " + max + " -> " + r.status() + " " + r.text());
                }
            }
            assertEquals(List.of(), accepted);
        }
    }

    @Test
    void rawBadRequestsNeverProduceA5xx() throws Exception {
        try (EngineHarness h = EngineHarness.manual()) {
            String machine = h.machine("fuzz", WAIT_HOUR);
            String x = h.start(machine, "run", "{}");
            String m = "\"" + machine + "\"";
            String e = "\"" + x + "\"";
            String deep = "[".repeat(20_000) + "]".repeat(20_000);
            String deepString = Json.write(Json.NODES.textNode(deep));
            String weirdToken = "\"" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("arn:aws:states:|x|zz".getBytes(StandardCharsets.UTF_8)) + "\"";
            String ghostToken = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (x + "|999999999999999999999|" + "a".repeat(32)).getBytes(StandardCharsets.UTF_8)) + "\"";
            String[][] cases = {
                    {"CreateStateMachine", "{\"name\":null,\"definition\":null,\"roleArn\":null}"},
                    {"CreateStateMachine", "{\"name\":\"c1\",\"definition\":\"\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c2\",\"definition\":{\"StartAt\":\"A\"},\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"\",\"definition\":\"{}\",\"roleArn\":\"\"}"},
                    {"CreateStateMachine", "{\"name\":\"c3\",\"definition\":\"null\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c4\",\"definition\":" + deepString + ",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c5\",\"definition\":\"{\\\"StartAt\\\":5,\\\"States\\\":[]}\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c6\",\"definition\":\"{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":null}}\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c7\",\"definition\":\"{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":\\\"Choice\\\",\\\"Choices\\\":[null,5,{}]}}}\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c8\",\"definition\":\"{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":\\\"Task\\\",\\\"Resource\\\":null,\\\"Retry\\\":[{\\\"ErrorEquals\\\":[null],\\\"BackoffRate\\\":\\\"x\\\"}],\\\"Catch\\\":[{\\\"ErrorEquals\\\":[\\\"States.ALL\\\"],\\\"Next\\\":5}],\\\"Parameters\\\":{\\\"a.$\\\":5},\\\"End\\\":true}}}\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c9\",\"definition\":\"{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":\\\"Wait\\\",\\\"Timestamp\\\":5,\\\"Seconds\\\":1e99,\\\"End\\\":\\\"yes\\\"}}}\",\"roleArn\":\"" + ROLE + "\"}"},
                    {"CreateStateMachine", "{\"name\":\"c10\",\"definition\":\"{}\",\"roleArn\":\"" + ROLE + "\",\"type\":5}"},
                    {"CreateStateMachine", "{\"name\":\"c11\",\"definition\":\"{}\",\"roleArn\":\"" + ROLE + "\",\"publish\":\"yes\"}"},
                    {"DescribeStateMachine", "[]"},
                    {"DescribeStateMachine", "null"},
                    {"DescribeStateMachine", "\"text\""},
                    {"DescribeStateMachine", "123"},
                    {"DescribeStateMachine", "{\"stateMachineArn\":[\"a\"]}"},
                    {"DescribeStateMachine", "{\"stateMachineArn\":\"\"}"},
                    {"DescribeStateMachine", "{\"stateMachineArn\":null}"},
                    {"DescribeStateMachine", "{\"stateMachineArn\":\"a\",\"stateMachineArn\":\"b\"}"},
                    {"DescribeStateMachine", deep},
                    {"ListStateMachines", "{\"maxResults\":-1}"},
                    {"ListStateMachines", "{\"maxResults\":1e400}"},
                    {"ListStateMachines", "{\"maxResults\":99999999999999999999999999999}"},
                    {"ListStateMachines", "{\"maxResults\":null,\"nextToken\":null}"},
                    {"ListStateMachines", "{\"nextToken\":\"\"}"},
                    {"ListStateMachines", "{\"nextToken\":\"b2Zmc2V0Oi01\"}"},
                    {"ListStateMachines", "{\"nextToken\":\"b2Zmc2V0Ojk5OTk5OTk5OTk5OTk5\"}"},
                    {"ListStateMachines", "{\"nextToken\":{}}"},
                    {"UpdateStateMachine", "{\"stateMachineArn\":" + m + "}"},
                    {"UpdateStateMachine", "{\"stateMachineArn\":" + m + ",\"definition\":\"{\"}"},
                    {"UpdateStateMachine", "{\"stateMachineArn\":" + m + ",\"roleArn\":\"\"}"},
                    {"DeleteStateMachine", "{\"stateMachineArn\":[]}"},
                    {"ValidateStateMachineDefinition", "{\"definition\":\"{\"}"},
                    {"ValidateStateMachineDefinition", "{\"definition\":" + deepString + "}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"input\":{\"a\":1}}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":\"s1\",\"input\":\"\"}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":\"\",\"input\":\"{}\"}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":null,\"input\":null}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":\"s2\",\"input\":" + deepString + "}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":5}"},
                    {"StartExecution", "{\"stateMachineArn\":" + m + ",\"name\":\"s3\",\"input\":\"x\"}"},
                    {"DescribeExecution", "{\"executionArn\":null}"},
                    {"DescribeExecution", "{\"executionArn\":\"" + PREFIX + "execution:x:\"}"},
                    {"DescribeExecution", "{\"executionArn\":true}"},
                    {"ListExecutions", "{\"stateMachineArn\":" + m + ",\"statusFilter\":5}"},
                    {"ListExecutions", "{\"stateMachineArn\":" + m + ",\"statusFilter\":\"running\"}"},
                    {"ListExecutions", "{\"stateMachineArn\":" + m + ",\"maxResults\":-7}"},
                    {"ListExecutions", "{\"stateMachineArn\":" + m + ",\"mapRunArn\":null}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"reverseOrder\":\"yes\"}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"maxResults\":-5}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"maxResults\":1e10}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"nextToken\":\"b2Zmc2V0Oi01\"}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"nextToken\":\"%%%\"}"},
                    {"GetExecutionHistory", "{\"executionArn\":" + e + ",\"includeExecutionData\":\"no\"}"},
                    {"StopExecution", "{\"executionArn\":" + e + ",\"error\":123}"},
                    {"StopExecution", "{\"executionArn\":" + e + ",\"cause\":\"" + "c".repeat(40_000) + "\"}"},
                    {"SendTaskSuccess", "{\"taskToken\":\"\",\"output\":\"{}\"}"},
                    {"SendTaskSuccess", "{\"taskToken\":\"x\",\"output\":null}"},
                    {"SendTaskSuccess", "{\"taskToken\":" + weirdToken + ",\"output\":\"{}\"}"},
                    {"SendTaskSuccess", "{\"taskToken\":" + ghostToken + ",\"output\":\"{}\"}"},
                    {"SendTaskSuccess", "{\"taskToken\":\"" + "A".repeat(5000) + "\",\"output\":\"{}\"}"},
                    {"SendTaskFailure", "{\"taskToken\":null}"},
                    {"SendTaskFailure", "{\"taskToken\":" + ghostToken + ",\"error\":[]}"},
                    {"SendTaskHeartbeat", "{\"taskToken\":123}"},
                    {"SendTaskHeartbeat", "{}"},
            };
            List<String> failures = new ArrayList<>();
            for (String[] c : cases) {
                Raw r = post(h, c[0], c[1]);
                String label = c[0] + " " + (c[1].length() > 160 ? c[1].substring(0, 160) + "..." : c[1]);
                if (r.status() >= 500) {
                    failures.add(label + " -> " + r.status() + " " + r.text());
                } else if (r.status() >= 400 && r.type() == null) {
                    failures.add(label + " -> " + r.status() + " without __type: " + r.text());
                }
            }
            assertTrue(failures.isEmpty(), String.join("\n", failures));
            assertTrue(cases.length >= 20);
            // the engine still answers and the running execution is intact
            assertEquals(ExecutionStatus.RUNNING, h.sfn.describeExecution(b -> b.executionArn(x)).status());
            assertEquals(200, post(h, "ListStateMachines", "{}").status());
        }
    }
}
