package dev.gitops.engine.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gitops.engine.EngineException;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@link SfnOperations} over AWS's JSON 1.0 protocol ({@code POST /}, {@code X-Amz-Target:
 * AWSStepFunctions.<Operation>}), so the AWS SDKs and the AWS CLI work against it with {@code --endpoint-url}. Every
 * operation must be signed ({@link SigV4}, service {@code states}) with one of the endpoint's keys, and every request
 * must name a loopback host: a browser tricked into calling it from another site (DNS rebinding) sends that site's
 * name, and is refused before anything is read.
 */
public final class AwsJsonServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AwsJsonServer.class);
    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String ERROR_NAMESPACE = "com.amazonaws.swf.service.v2.model#";
    private static final int MAX_BODY = 2 * 1024 * 1024;

    static {
        // The JDK server writes a response's headers and body separately; without TCP_NODELAY each reply then waits
        // for the client's delayed ACK (about 40 ms on Linux). Read once, when the server classes load.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final SfnOperations operations;
    private final SigV4 signatures;

    private AwsJsonServer(HttpServer server, ExecutorService executor, SfnOperations operations, SigV4 signatures) {
        this.server = server;
        this.executor = executor;
        this.operations = operations;
        this.signatures = signatures;
    }

    /**
     * Listens on {@code host:port} (port 0 picks a free one).
     *
     * @param signatures verifies each operation's signature
     */
    public static AwsJsonServer start(SfnOperations operations, String host, int port, SigV4 signatures) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
        ExecutorService executor = Executors.newFixedThreadPool(8, DaemonThreads.numbered("engine-api"));
        AwsJsonServer endpoint = new AwsJsonServer(server, executor, operations, signatures);
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getHostString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (!LoopbackHost.is(host)) {
                error(exchange, 403, "AccessDeniedException", "Host '" + host + "' is not a loopback name or address: this"
                        + " endpoint serves this machine only (call it as 127.0.0.1 or localhost)");
                return;
            }
            if ("GET".equals(exchange.getRequestMethod()) && "/".equals(exchange.getRequestURI().getPath())) {
                ObjectNode status = Json.object();
                status.put("service", "embedded AWS Step Functions engine");
                status.put("protocol", "awsJson1_0, X-Amz-Target: AWSStepFunctions.<Operation>");
                respond(exchange, 200, status);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                error(exchange, 405, "UnknownOperationException", "Send operations as POST / with an X-Amz-Target header");
                return;
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target == null || !target.startsWith(TARGET_PREFIX)) {
                error(exchange, 400, "UnknownOperationException", "Missing or unknown X-Amz-Target header '" + target
                        + "'; expected AWSStepFunctions.<Operation>");
                return;
            }
            byte[] body = read(exchange.getRequestBody());
            if (body == null) {
                error(exchange, 413, "ValidationException", "The request body is larger than " + MAX_BODY + " bytes");
                return;
            }
            SigV4.Refusal refused = signatures.check(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers(exchange), body);
            if (refused != null) {
                LOG.warn("engine API refused a call to {} from {}: {}", target, exchange.getRemoteAddress(), refused.code());
                error(exchange, refused.status(), refused.code(), refused.message());
                return;
            }
            JsonNode request;
            try {
                request = body.length == 0 ? Json.object() : Json.parse(new String(body, StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                error(exchange, 400, "SerializationException", "The request body is not valid JSON: " + e.getOriginalMessage());
                return;
            }
            String operation = target.substring(TARGET_PREFIX.length());
            try {
                respond(exchange, 200, operations.call(operation, request));
            } catch (EngineException e) {
                error(exchange, 400, e.code(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("engine API {} failed (request {})", operation, requestId, e);
                error(exchange, 500, "InternalFailure", "The embedded engine failed on " + operation + ": " + e);
            }
        }
    }

    /** The request's headers by lower-case name. */
    private static Map<String, List<String>> headers(HttpExchange exchange) {
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).addAll(values));
        return headers;
    }

    private static byte[] read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        return bytes.length > MAX_BODY ? null : bytes;
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = Json.object();
        body.put("__type", ERROR_NAMESPACE + code);
        body.put("message", message);
        exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
        respond(exchange, status, body);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
