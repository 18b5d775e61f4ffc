package dev.gitops.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/github}: checks size, then the {@code X-Hub-Signature-256} HMAC over the raw bytes, before
 * anything is parsed; accepts {@code application/json} and {@code application/x-www-form-urlencoded}
 * ({@code payload=}); hands the event to the {@link FrontDoor}. Every refusal names what was wrong.
 */
@Controller("/webhooks/github")
@ExecuteOn(TaskExecutors.BLOCKING)
public class WebhookController {
    private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9-]{1,100}");
    private static final Pattern EVENT = Pattern.compile("[a-z_]{1,64}");

    private final WebhookSecret secret;
    private final WebhookConfiguration configuration;
    private final FrontDoor frontDoor;

    public WebhookController(WebhookSecret secret, WebhookConfiguration configuration, FrontDoor frontDoor) {
        this.secret = secret;
        this.configuration = configuration;
        this.frontDoor = frontDoor;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<ObjectNode> receive(HttpRequest<?> request, @Nullable @Body byte[] body) {
        byte[] raw = dev.gitops.RawBody.of(request, body);
        if (raw.length > configuration.getMaxBody()) {
            return respond(Answer.error(413, "payload-too-large", "the body has " + raw.length + " bytes; gitops.webhook.max-body"
                    + " allows " + configuration.getMaxBody()));
        }
        String signature = request.getHeaders().get("X-Hub-Signature-256");
        if (signature == null || signature.isBlank()) {
            return respond(Answer.error(401, "signature-missing", "X-Hub-Signature-256 is missing: configure the webhook's"
                    + " secret in GitHub"));
        }
        if (!Signatures.valid(secret.key(), raw, signature)) {
            return respond(Answer.error(401, "signature-mismatch", "X-Hub-Signature-256 does not match the body: the"
                    + " secret differs from gitops.webhook.secret, or the body was changed on the way"));
        }
        String contentType = request.getContentType().map(MediaType::getName).orElse("");
        String json;
        if (contentType.equalsIgnoreCase(MediaType.APPLICATION_JSON)) {
            json = new String(raw, StandardCharsets.UTF_8);
        } else if (contentType.equalsIgnoreCase(MediaType.APPLICATION_FORM_URLENCODED)) {
            json = formPayload(new String(raw, StandardCharsets.US_ASCII));
            if (json == null) {
                return respond(Answer.error(400, "malformed-payload", "the form body has no 'payload' field"));
            }
        } else {
            return respond(Answer.error(415, "unsupported-media-type", "Content-Type '" + contentType + "' is not"
                    + " accepted: use application/json or application/x-www-form-urlencoded"));
        }
        String event = request.getHeaders().get("X-GitHub-Event");
        if (event == null || !EVENT.matcher(event).matches()) {
            return respond(Answer.error(400, "missing-header", "X-GitHub-Event is missing or not an event name"));
        }
        String delivery = request.getHeaders().get("X-GitHub-Delivery");
        if (delivery == null || !DELIVERY.matcher(delivery).matches()) {
            return respond(Answer.error(400, "missing-header", "X-GitHub-Delivery is missing or not a delivery id"));
        }
        JsonNode payload;
        try {
            payload = Answer.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return respond(Answer.error(400, "malformed-json", "the payload is not JSON: " + e.getOriginalMessage()));
        }
        if (payload == null || !payload.isObject()) {
            return respond(Answer.error(400, "malformed-json", "the payload is not a JSON object"));
        }
        try {
            return respond(frontDoor.handle(event, delivery, payload));
        } catch (BadPayload e) {
            return respond(Answer.error(400, "malformed-payload", e.getMessage()));
        }
    }

    /** The value of {@code payload=} in a form body, decoded; null when there is none. */
    private static String formPayload(String form) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && "payload".equals(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8))) {
                try {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static HttpResponse<ObjectNode> respond(Answer answer) {
        return HttpResponse.<ObjectNode>status(io.micronaut.http.HttpStatus.valueOf(answer.status())).body(answer.body());
    }
}
