package dev.gitops;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.webhook.Signatures;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Recorded API Gateway events (src/test/resources/apigateway/), made into the deliveries a test sends. */
final class ApiGatewayEvents {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).build();

    private ApiGatewayEvents() {
    }

    /** A recorded event as the handler's type. */
    static <T> T event(String resource, Class<T> type) {
        try (InputStream in = ApiGatewayEvents.class.getClassLoader().getResourceAsStream(resource)) {
            return MAPPER.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GitHub's delivery of {@code payload} as event {@code event} through an HTTP API (payload 2.0), signed with {@code secret}. */
    static APIGatewayV2HTTPEvent webhook(String event, String delivery, ObjectNode payload, String secret) {
        APIGatewayV2HTTPEvent request = event("apigateway/http-api-v2-webhook.json", APIGatewayV2HTTPEvent.class);
        byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
        request.setBody(Base64.getEncoder().encodeToString(body));
        request.setIsBase64Encoded(true);
        Map<String, String> headers = new HashMap<>(request.getHeaders());
        headers.put("x-hub-signature-256", Signatures.sign(secret.getBytes(StandardCharsets.UTF_8), body));
        headers.put("x-github-delivery", delivery);
        headers.put("x-github-event", event);
        headers.put("content-length", Integer.toString(body.length));
        request.setHeaders(headers);
        return request;
    }
}
