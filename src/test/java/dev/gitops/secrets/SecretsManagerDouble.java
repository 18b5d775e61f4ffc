package dev.gitops.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test double for AWS Secrets Manager (there is no AWS account here): a local HTTP server speaking its JSON
 * protocol ({@code X-Amz-Target: secretsmanager.GetSecretValue}) for the secrets put into it, answering
 * {@code ResourceNotFoundException} for others and {@code InternalServiceError} while {@link #down} is set. It records
 * which secrets were asked for, so tests see when a secret is read.
 */
public final class SecretsManagerDouble implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public final Map<String, String> secrets = new ConcurrentHashMap<>();
    public final List<String> reads = new CopyOnWriteArrayList<>();
    public final AtomicBoolean down = new AtomicBoolean();
    private final HttpServer server;

    public SecretsManagerDouble() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            String id = request.path("SecretId").asText();
            ObjectNode answer = MAPPER.createObjectNode();
            int status;
            if (down.get()) {
                status = 500;
                answer.put("__type", "InternalServiceError").put("message", "stand-in outage");
            } else if (!"secretsmanager.GetSecretValue".equals(target)) {
                status = 400;
                answer.put("__type", "InvalidRequestException").put("message", "only GetSecretValue here: " + target);
            } else if (!secrets.containsKey(id)) {
                reads.add(id);
                status = 400;
                answer.put("__type", "ResourceNotFoundException").put("message", "Secrets Manager can't find the specified secret.");
            } else {
                reads.add(id);
                status = 200;
                answer.put("ARN", id).put("Name", id.replaceAll(".*:secret:", "")).put("SecretString", secrets.get(id))
                        .put("VersionId", "v1").putArray("VersionStages").add("AWSCURRENT");
            }
            byte[] body = MAPPER.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** A well-formed ARN for a secret named {@code name}. */
    public static String arn(String name) {
        return "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-AbCdEf";
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How often {@code arn} was asked for. */
    public long readsOf(String arn) {
        return reads.stream().filter(arn::equals).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
