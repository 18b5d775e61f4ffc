package dev.gitops.approval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.http.ApiError;
import dev.gitops.http.Forms;
import dev.gitops.http.RawBody;
import dev.gitops.notify.SlackConfiguration;
import dev.gitops.secrets.Secret;
import dev.gitops.secrets.Secrets;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

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
    /** The parts of Slack's {@code block_actions} payload a decision needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Interaction(List<Action> actions, User user) {
        Action action() {
            return actions == null || actions.isEmpty() ? new Action(null, null) : actions.get(0);
        }

        User who() {
            return user == null ? new User(null, null, null) : user;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Action(@JsonProperty("action_id") String actionId, String value) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record User(String id, String username, String name) {
        String userId() {
            return id == null ? "" : id;
        }

        String display() {
            return username != null ? username : name != null ? name : userId();
        }
    }

    /** What the clicker sees: a message only they see, the original left as it was. */
    record Reply(@JsonProperty("response_type") String responseType,
                 @JsonProperty("replace_original") boolean replaceOriginal, String text) {
        static HttpResponse<Reply> ok(String text) {
            return HttpResponse.ok(new Reply("ephemeral", false, text));
        }
    }

    private final Approvals approvals;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final Secret signingSecret;

    public SlackController(Approvals approvals, Clock clock, ObjectMapper mapper, SlackConfiguration slack, Secrets secrets) {
        this.approvals = approvals;
        this.clock = clock;
        this.mapper = mapper;
        this.signingSecret = secrets.of("gitops.slack.signing-secret", slack.getSigningSecret(), slack.getSigningSecretArn());
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> interact(HttpRequest<?> request, @Nullable @Body byte[] body) {
        if (!signingSecret.configured()) {
            return ApiError.respond(403, "slack-not-configured", "gitops.slack.signing-secret is not set: Slack's buttons"
                    + " cannot be verified, so they decide nothing");
        }
        byte[] raw = RawBody.of(request, body);
        String problem = slackSignature(request, raw);
        if (problem != null && signingSecret.reread()) {
            problem = slackSignature(request, raw);
        }
        if (problem != null) {
            return ApiError.respond(401, "slack-signature", problem);
        }
        String text = Forms.decode(raw).get("payload");
        if (text == null) {
            return ApiError.respond(400, "malformed-payload", "the body has no 'payload' field");
        }
        Interaction payload;
        try {
            payload = mapper.readValue(text, Interaction.class);
        } catch (JsonProcessingException e) {
            return ApiError.respond(400, "malformed-payload", "the payload is not JSON: " + e.getOriginalMessage());
        }
        String actionId = String.valueOf(payload.action().actionId());
        if (actionId.equals("open")) {
            return Reply.ok("Opening the plan.");
        }
        if (!actionId.equals("approve") && !actionId.equals("reject")) {
            return ApiError.respond(400, "unknown-action", "action_id must be approve, reject or open");
        }
        String id = String.valueOf(payload.action().value());
        if (!id.matches("[0-9a-f]{32}")) {
            return Reply.ok("This is not an approval.");
        }
        Approval approval = approvals.store().get(id);
        if (approval == null) {
            return Reply.ok("This approval does not exist (any more).");
        }
        String userId = payload.who().userId();
        List<String> approvers = approvals.approvers(approval);
        if (!approvers.isEmpty() && !approvers.contains(userId)) {
            return Reply.ok("Only the approvers of " + approval.environment() + " decide here.");
        }
        String who = payload.who().display() + " (" + userId + ")";
        boolean approve = actionId.equals("approve");
        return Reply.ok(switch (approvals.decide(id, approve, who, "slack")) {
            case DECIDED -> (approve ? "Approved" : "Rejected") + " by " + who + ".";
            case ALREADY_DECIDED -> "Already decided.";
            case EXPIRED -> "Too late: already decided or expired.";
            case TRY_AGAIN -> "Step Functions could not be reached: nothing was decided, try again.";
            case UNVERIFIED_PLAN -> "The plan's text does not have the sha256 its build recorded: it cannot be approved."
                    + " Reject it and push again.";
            default -> "This approval does not exist (any more).";
        });
    }

    /** Why Slack's signature of this request does not hold, or null when it does. */
    private String slackSignature(HttpRequest<?> request, byte[] raw) {
        return SlackSignature.check(signingSecret.value().orElseThrow().getBytes(StandardCharsets.UTF_8),
                request.getHeaders().get("X-Slack-Request-Timestamp"), raw, request.getHeaders().get("X-Slack-Signature"),
                clock.instant());
    }
}
