package dev.gitops.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.approval.Approvals;
import dev.gitops.approval.Notifications;
import dev.gitops.lock.LockJanitor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * What happens when a pipeline execution ends, whoever hears it (the engine's listener locally, EventBridge in AWS):
 * the janitor frees a lock left behind, a pending approval expires (Slack hears of an approval timeout), and the
 * commit's status {@code gitops/<env>/<stack>} gets its final state.
 */
@Singleton
public class ExecutionEnded {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionEnded.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LockJanitor janitor;
    private final Approvals approvals;
    private final Notifications notifications;

    public ExecutionEnded(LockJanitor janitor, Approvals approvals, Notifications notifications) {
        this.janitor = janitor;
        this.approvals = approvals;
        this.notifications = notifications;
    }

    /**
     * @param status    SUCCEEDED, FAILED, TIMED_OUT or ABORTED
     * @param authentic whether the caller is sure the execution ended (the engine's listener), as opposed to an
     *                  EventBridge event that may be late or repeated
     */
    public void handle(String executionArn, String status, String error, String input, String output, boolean authentic) {
        if ("RUNNING".equals(status) || "PENDING_REDRIVE".equals(status)) {
            return;
        }
        janitor.executionEnded(executionArn, status, input, !authentic);
        try {
            if (!"SUCCEEDED".equals(status)) { // a succeeded execution has no approval left waiting
                approvals.executionEnded(executionArn, error);
            }
        } catch (RuntimeException e) {
            LOG.warn("execution \"{}\" ended: its approvals could not be closed: {}", executionArn, e.toString());
        }
        JsonNode in = json(input);
        if (in.path("repository").isTextual() && in.path("sha").isTextual()) {
            String[] state = finalStatus(status, error, in, json(output));
            notifications.status(in.path("repository").asText(), in.path("sha").asText(),
                    Notifications.context(in.path("environment").asText(), in.path("stack").path("name").asText()),
                    state[0], state[1], null);
        }
    }

    /** {state, description} of the commit status for an ended execution. */
    static String[] finalStatus(String status, String error, JsonNode input, JsonNode output) {
        if ("SUCCEEDED".equals(status)) {
            JsonNode summary = output.path("plan").path("result").path("summary");
            String counts = summary.isObject() ? " (+" + summary.path("add").asInt() + " ~" + summary.path("change").asInt()
                    + " -" + summary.path("destroy").asInt() + ")" : "";
            if ("plan".equals(input.path("mode").asText())) {
                return new String[]{"success", "planned" + counts};
            }
            if (!output.path("plan").path("result").path("changes").asBoolean(true)) {
                return new String[]{"success", "no changes"};
            }
            return new String[]{"success", "applied" + counts};
        }
        if ("ABORTED".equals(status)) {
            return new String[]{"error", "stopped"};
        }
        if ("TIMED_OUT".equals(status)) {
            return new String[]{"error", "timed out"};
        }
        return switch (error == null ? "" : error) {
            case "Rejected" -> new String[]{"failure", "rejected"};
            case "Superseded" -> new String[]{"failure", "superseded by a newer commit"};
            case "Expired" -> new String[]{"failure", "approval expired"};
            case "PlanFailed" -> new String[]{"failure", "plan failed"};
            case "ApplyFailed" -> new String[]{"failure", "apply failed"};
            case "LockHeld" -> new String[]{"failure", "stack locked by another execution"};
            default -> new String[]{"failure", "failed: " + error};
        };
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? MAPPER.createObjectNode() : MAPPER.readTree(text);
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }
}
