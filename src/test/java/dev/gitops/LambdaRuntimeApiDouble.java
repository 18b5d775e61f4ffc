package dev.gitops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test double for the Lambda Runtime API, the HTTP interface through which Lambda's Java runtime (the runtime interface
 * client, {@code AWSLambda}) asks for events and hands back answers; Lambda itself cannot run here. It serves, on a
 * loopback port named by {@code AWS_LAMBDA_RUNTIME_API}:
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next}: the next event {@link #invoke} queued (it waits for one), with
 *       {@code Lambda-Runtime-Aws-Request-Id}, {@code Lambda-Runtime-Deadline-Ms} and
 *       {@code Lambda-Runtime-Invoked-Function-Arn};</li>
 *   <li>{@code POST /2018-06-01/runtime/invocation/{id}/response} and {@code .../error}: the function's answer;</li>
 *   <li>{@code POST /2018-06-01/runtime/init/error}: a failed init (every pending invocation fails with it);</li>
 *   <li>{@code GET /2018-06-01/runtime/restore/next} and {@code POST .../restore/error}: SnapStart's restore, for a
 *       runtime started with {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} (answered at once: the process plays
 *       its own restore).</li>
 * </ul>
 */
public final class LambdaRuntimeApiDouble implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";
    public static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:gitops-webhook";

    /** What the function answered: its body, or an error (init, invocation or restore) with Lambda's error type. */
    public record Answer(boolean error, String errorType, byte[] body, long atNanos) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Invocation(String requestId, byte[] event, CompletableFuture<Answer> answer) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "lambda-runtime-api-double");
        thread.setDaemon(true);
        return thread;
    });
    private final BlockingQueue<Invocation> queued = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> running = new ConcurrentHashMap<>();
    private final CompletableFuture<Answer> initError = new CompletableFuture<>();
    private final CompletableFuture<Long> restoreRequested = new CompletableFuture<>();
    private volatile boolean closed;

    private LambdaRuntimeApiDouble(HttpServer server) {
        this.server = server;
        server.setExecutor(threads);
        server.createContext(PREFIX, this::serve);
        server.start();
    }

    public static LambdaRuntimeApiDouble start() {
        try {
            return new LambdaRuntimeApiDouble(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event for the function; the future completes with its answer, or with its init error. */
    public CompletableFuture<Answer> invoke(byte[] event) {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event, new CompletableFuture<>());
        initError.thenAccept(invocation.answer()::complete);
        queued.add(invocation);
        return invocation.answer();
    }

    public CompletableFuture<Answer> invoke(String event) {
        return invoke(event.getBytes(StandardCharsets.UTF_8));
    }

    /** Completes (with {@link System#nanoTime()}) when a SnapStart runtime asks to be restored: its checkpoint hooks ran. */
    public CompletableFuture<Long> restoreRequested() {
        return restoreRequested;
    }

    /** Completes if the function's init failed. */
    public CompletableFuture<Answer> initError() {
        return initError;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
                answered(exchange, path.substring("invocation/".length(), path.length() - "/response".length()),
                        new Answer(false, null, body, System.nanoTime()));
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
                answered(exchange, path.substring("invocation/".length(), path.length() - "/error".length()),
                        new Answer(true, errorType(exchange), body, System.nanoTime()));
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError.complete(new Answer(true, errorType(exchange), body, System.nanoTime()));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("GET") && path.equals("restore/next")) {
                restoreRequested.complete(System.nanoTime());
                reply(exchange, 200, "");
            } else if (method.equals("POST") && path.equals("restore/error")) {
                initError.complete(new Answer(true, errorType(exchange), body, System.nanoTime()));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                reply(exchange, 404, "{\"errorType\":\"NotFound\",\"errorMessage\":\"" + method + " " + path + "\"}");
            }
        }
    }

    /** Long polling, as Lambda's: the runtime's request waits until there is an event. */
    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation = null;
        try {
            while (invocation == null && !closed) {
                invocation = queued.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            reply(exchange, 500, "{\"errorType\":\"ShuttingDown\"}");
            return;
        }
        running.put(invocation.requestId(), invocation);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 29_000));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0");
        exchange.sendResponseHeaders(200, invocation.event().length);
        exchange.getResponseBody().write(invocation.event());
    }

    private void answered(HttpExchange exchange, String requestId, Answer answer) throws IOException {
        Invocation invocation = running.remove(requestId);
        if (invocation == null) {
            reply(exchange, 400, "{\"errorType\":\"InvalidRequestID\",\"errorMessage\":\"unknown request " + requestId + "\"}");
            return;
        }
        invocation.answer().complete(answer);
        reply(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static String errorType(HttpExchange exchange) {
        return exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
