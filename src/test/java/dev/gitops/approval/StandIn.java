package dev.gitops.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double for Slack's incoming webhook and GitHub's commit status API: a local HTTP server that records every
 * call ({@code /slack}, {@code /github/repos/<owner>/<repo>/statuses/<sha>}) and answers as they do. It can be told to
 * fail the next calls, standing in for an outage.
 */
public final class StandIn implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public record Call(String path, String authorization, JsonNode body) {
    }

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();
    /** Every request, answered or failed, by path. */
    final List<String> attempts = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public StandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            attempts.add(exchange.getRequestURI().getPath());
            int status;
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 503;
            } else {
                calls.add(new Call(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"),
                        MAPPER.readTree(new String(body, StandardCharsets.UTF_8))));
                status = exchange.getRequestURI().getPath().startsWith("/github") ? 201 : 200;
            }
            byte[] answer = (status == 200 ? "ok" : status == 201 ? "{}" : "unavailable").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Call> slack() {
        return calls.stream().filter(c -> c.path().equals("/slack")).toList();
    }

    /** The commit statuses posted for {@code sha}, in order: "context state description". */
    List<String> statuses(String sha) {
        return calls.stream().filter(c -> c.path().endsWith("/statuses/" + sha))
                .map(c -> c.body().path("context").asText() + " " + c.body().path("state").asText() + " "
                        + c.body().path("description").asText()).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
