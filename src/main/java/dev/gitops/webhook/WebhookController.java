package dev.gitops.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.http.Forms;
import dev.gitops.http.RawBody;
import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/github}: checks size, then the {@code X-Hub-Signature-256} HMAC over the raw bytes, before
 * anything is parsed; accepts {@code application/json} and {@code application/x-www-form-urlencoded}
 * ({@code payload=}); answers GitHub's {@code ping} and hands any other event to the {@link FrontDoor}. Every refusal
 * names what was wrong. The front door (git mirrors, SDK clients) is built for the first event that needs it, so a
 * ping to a cold Lambda function builds none of it.
 */
@Controller("/webhooks/github")
@ExecuteOn(TaskExecutors.BLOCKING)
public class WebhookController {
    private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9-]{1,100}");
    private static final Pattern EVENT = Pattern.compile("[a-z_]{1,64}");

    private final WebhookSecret secret;
    private final WebhookConfiguration configuration;
    private final BeanProvider<FrontDoor> frontDoor;
    private final ObjectMapper mapper;

    public WebhookController(WebhookSecret secret, WebhookConfiguration configuration, BeanProvider<FrontDoor> frontDoor,
                             ObjectMapper mapper) {
        this.secret = secret;
        this.configuration = configuration;
        this.frontDoor = frontDoor;
        this.mapper = mapper;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Answer> receive(HttpRequest<?> request, @Nullable @Body byte[] body) {
        byte[] raw = RawBody.of(request, body);
        if (raw.length > configuration.getMaxBody()) {
            return respond(new Answer.Failure(413, "payload-too-large", "the body has " + raw.length + " bytes;"
                    + " gitops.webhook.max-body allows " + configuration.getMaxBody()));
        }
        String signature = request.getHeaders().get("X-Hub-Signature-256");
        if (signature == null || signature.isBlank()) {
            return respond(new Answer.Failure(401, "signature-missing", "X-Hub-Signature-256 is missing: configure the"
                    + " webhook's secret in GitHub"));
        }
        if (!Signatures.valid(secret.key(), raw, signature) && !(secret.reread() && Signatures.valid(secret.key(), raw, signature))) {
            return respond(new Answer.Failure(401, "signature-mismatch", "X-Hub-Signature-256 does not match the body:"
                    + " the secret differs from gitops.webhook.secret, or the body was changed on the way"));
        }
        String contentType = request.getContentType().map(MediaType::getName).orElse("");
        String json;
        if (contentType.equalsIgnoreCase(MediaType.APPLICATION_JSON)) {
            json = new String(raw, StandardCharsets.UTF_8);
        } else if (contentType.equalsIgnoreCase(MediaType.APPLICATION_FORM_URLENCODED)) {
            json = Forms.decode(raw).get("payload");
            if (json == null) {
                return respond(new Answer.Failure(400, "malformed-payload", "the form body has no 'payload' field"));
            }
        } else {
            return respond(new Answer.Failure(415, "unsupported-media-type", "Content-Type '" + contentType + "' is not"
                    + " accepted: use application/json or application/x-www-form-urlencoded"));
        }
        String event = request.getHeaders().get("X-GitHub-Event");
        if (event == null || !EVENT.matcher(event).matches()) {
            return respond(new Answer.Failure(400, "missing-header", "X-GitHub-Event is missing or not an event name"));
        }
        String delivery = request.getHeaders().get("X-GitHub-Delivery");
        if (delivery == null || !DELIVERY.matcher(delivery).matches()) {
            return respond(new Answer.Failure(400, "missing-header", "X-GitHub-Delivery is missing or not a delivery id"));
        }
        JsonNode payload;
        try {
            payload = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return respond(new Answer.Failure(400, "malformed-json", "the payload is not JSON: " + e.getOriginalMessage()));
        }
        if (payload == null || !payload.isObject()) {
            return respond(new Answer.Failure(400, "malformed-json", "the payload is not a JSON object"));
        }
        if ("ping".equals(event)) {
            return respond(Answer.Pong.of());
        }
        try {
            return respond(frontDoor.get().handle(event, delivery, payload));
        } catch (BadPayload e) {
            return respond(new Answer.Failure(400, "malformed-payload", e.getMessage()));
        }
    }

    static HttpResponse<Answer> respond(Answer answer) {
        return HttpResponse.<Answer>status(HttpStatus.valueOf(answer.status())).body(answer);
    }
}
