package dev.gitops.comments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test double for GitHub's API as the controller uses it for pull requests: issue comments (list, create, edit, the
 * list paged two to a page with a {@code Link} header as GitHub pages it) and commit statuses. A local HTTP server that
 * keeps the comments, records every call, and can be told to fail the next calls (an outage).
 */
final class GithubStandIn implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern LIST = Pattern.compile("/repos/([^/]+/[^/]+)/issues/(\\d+)/comments");
    private static final Pattern EDIT = Pattern.compile("/repos/([^/]+/[^/]+)/issues/comments/(\\d+)");

    record Call(String method, String path) {
    }

    /** A comment kept by the double. */
    record Comment(long id, String pull, String body) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();
    private final Map<Long, Comment> comments = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final HttpServer server;

    GithubStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Someone else's comment on a pull request (a reviewer's), which the controller must leave alone. */
    void comment(String repository, int number, String body) {
        long id = ids.incrementAndGet();
        comments.put(id, new Comment(id, repository + "#" + number, body));
    }

    /** The pull request's comments, oldest first. */
    List<Comment> comments(String repository, int number) {
        return comments.values().stream().filter(c -> c.pull().equals(repository + "#" + number))
                .sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
    }

    long count(String method, String pathPart) {
        return calls.stream().filter(c -> c.method().equals(method) && c.path().contains(pathPart)).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, 503, "{\"message\":\"unavailable (test double)\"}", null);
            return;
        }
        calls.add(new Call(method, path));
        Matcher list = LIST.matcher(path);
        Matcher edit = EDIT.matcher(path);
        if (path.contains("/statuses/")) {
            answer(exchange, 201, "{}", null);
        } else if (list.matches() && method.equals("GET")) {
            List<Comment> all = comments(list.group(1), Integer.parseInt(list.group(2)));
            String query = exchange.getRequestURI().getQuery();
            int page = 1;
            for (String pair : query == null ? new String[0] : query.split("&")) {
                if (pair.startsWith("page=")) {
                    page = Integer.parseInt(pair.substring("page=".length()));
                }
            }
            ArrayNode out = MAPPER.createArrayNode();
            all.stream().skip((page - 1) * 2L).limit(2).forEach(c -> out.addObject().put("id", c.id()).put("body", c.body()));
            String link = all.size() > page * 2 ? "<" + url() + path + "?per_page=100&page=" + (page + 1) + ">; rel=\"next\"" : null;
            answer(exchange, 200, out.toString(), link);
        } else if (list.matches() && method.equals("POST")) {
            long id = ids.incrementAndGet();
            String text = MAPPER.readTree(body).path("body").asText();
            comments.put(id, new Comment(id, list.group(1) + "#" + list.group(2), text));
            answer(exchange, 201, MAPPER.createObjectNode().put("id", id).put("body", text).toString(), null);
        } else if (edit.matches() && method.equals("PATCH")) {
            long id = Long.parseLong(edit.group(2));
            Comment existing = comments.get(id);
            if (existing == null) {
                answer(exchange, 404, "{\"message\":\"Not Found\"}", null);
                return;
            }
            JsonNode json = MAPPER.readTree(body);
            comments.put(id, new Comment(id, existing.pull(), json.path("body").asText()));
            answer(exchange, 200, MAPPER.createObjectNode().put("id", id).toString(), null);
        } else {
            answer(exchange, 404, "{\"message\":\"Not Found\"}", null);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body, String link) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (link != null) {
            exchange.getResponseHeaders().add("Link", link);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
