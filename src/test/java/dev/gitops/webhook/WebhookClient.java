package dev.gitops.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** Sends deliveries the way GitHub does: signed, with X-GitHub-Event and X-GitHub-Delivery. */
public final class WebhookClient {
    /** A delivery's answer. */
    public record Reply(int status, JsonNode body) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final byte[] secret;

    public WebhookClient(URI base, String secret) {
        this.uri = base.resolve("/webhooks/github");
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public static String newDelivery() {
        return UUID.randomUUID().toString();
    }

    public Reply json(String event, String delivery, JsonNode payload) {
        return json(event, delivery, payload.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON body already serialized (a load generator sends the same payloads many times). */
    public Reply json(String event, String delivery, byte[] body) {
        return send(event, delivery, "application/json", body, Signatures.sign(secret, body));
    }

    public Reply form(String event, String delivery, JsonNode payload) {
        byte[] body = ("payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        return send(event, delivery, "application/x-www-form-urlencoded", body, Signatures.sign(secret, body));
    }

    public Reply send(String event, String delivery, String contentType, byte[] body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("User-Agent", "GitHub-Hookshot/6a1b2c3")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (event != null) {
            request.header("X-GitHub-Event", event);
        }
        if (delivery != null) {
            request.header("X-GitHub-Delivery", delivery);
            request.header("X-GitHub-Hook-ID", "512345678");
        }
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? null : Payloads.parse(response.body());
            return new Reply(response.statusCode(), json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public byte[] secret() {
        return secret.clone();
    }
}
