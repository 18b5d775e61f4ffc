package dev.gitops.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.ApiErrors;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * {@code POST /slack/interactions}: the Approve / Reject buttons of the Slack message. The request must carry Slack's
 * v0 signature ({@code gitops.slack.signing-secret}) from the last five minutes; the Slack user is the approver, and
 * where the environment names approvers, only they decide.
 */
@Controller("/slack/interactions")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SlackController {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Approvals approvals;
    private final Clock clock;
    private final byte[] signingSecret;

    public SlackController(Approvals approvals, Clock clock,
                           @Nullable @Value("${gitops.slack.signing-secret:}") String signingSecret) {
        this.approvals = approvals;
        this.clock = clock;
        this.signingSecret = signingSecret == null || signingSecret.isBlank() ? null
                : signingSecret.getBytes(StandardCharsets.UTF_8);
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<ObjectNode> interact(HttpRequest<?> request, @Nullable @Body byte[] body) {
        if (signingSecret == null) {
            return ApiErrors.error(403, "slack-not-configured", "gitops.slack.signing-secret is not set: Slack's buttons"
                    + " cannot be verified, so they decide nothing");
        }
        byte[] raw = dev.gitops.RawBody.of(request, body);
        String problem = SlackSignature.check(signingSecret, request.getHeaders().get("X-Slack-Request-Timestamp"), raw,
                request.getHeaders().get("X-Slack-Signature"), clock.instant());
        if (problem != null) {
            return ApiErrors.error(401, "slack-signature", problem);
        }
        JsonNode payload;
        try {
            String text = new String(raw, StandardCharsets.UTF_8);
            String encoded = text.startsWith("payload=") ? text.substring("payload=".length()) : null;
            if (encoded == null) {
                return ApiErrors.error(400, "malformed-payload", "the body has no 'payload' field");
            }
            payload = MAPPER.readTree(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return ApiErrors.error(400, "malformed-payload", "the payload is not JSON: " + e.getMessage());
        }
        JsonNode action = payload.path("actions").path(0);
        String actionId = action.path("action_id").asText();
        if (actionId.equals("open")) {
            return HttpResponse.ok(reply("Opening the plan."));
        }
        if (!actionId.equals("approve") && !actionId.equals("reject")) {
            return ApiErrors.error(400, "unknown-action", "action_id must be approve, reject or open");
        }
        String id = action.path("value").asText();
        if (!id.matches("[0-9a-f]{32}")) {
            return HttpResponse.ok(reply("This is not an approval."));
        }
        String userId = payload.path("user").path("id").asText();
        String userName = payload.path("user").path("username").asText(payload.path("user").path("name").asText(userId));
        Approval approval = approvals.store().get(id);
        if (approval == null) {
            return HttpResponse.ok(reply("This approval does not exist (any more)."));
        }
        List<String> approvers = approvals.approvers(approval);
        if (!approvers.isEmpty() && !approvers.contains(userId)) {
            return HttpResponse.ok(reply("Only the approvers of " + approval.environment() + " decide here."));
        }
        String who = userName + " (" + userId + ")";
        return HttpResponse.ok(reply(switch (approvals.decide(id, actionId.equals("approve"), who, "slack")) {
            case DECIDED -> (actionId.equals("approve") ? "Approved" : "Rejected") + " by " + who + ".";
            case ALREADY_DECIDED -> "Already decided.";
            case EXPIRED -> "Too late: already decided or expired.";
            case TRY_AGAIN -> "Step Functions could not be reached: nothing was decided, try again.";
            default -> "This approval does not exist (any more).";
        }));
    }

    private static ObjectNode reply(String text) {
        return MAPPER.createObjectNode().put("response_type", "ephemeral").put("replace_original", false).put("text", text);
    }
}
