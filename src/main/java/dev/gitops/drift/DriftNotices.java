package dev.gitops.drift;

import dev.gitops.execution.Commits;
import dev.gitops.execution.PlanResult;
import dev.gitops.notify.Slack;
import dev.gitops.notify.SlackMessage;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What people hear of drift: one Slack message when a stack drifts ("drift", the stack, the resources) and one when
 * it is back in sync; nothing for checks that find what the last one found. Values from pushes are escaped.
 */
@Singleton
class DriftNotices {
    private static final int SHOWN = 10;

    private final Slack slack;

    DriftNotices(Slack slack) {
        this.slack = slack;
    }

    void drifted(DriftStore.Check check) {
        List<String> resources = addresses(check.plan());
        String text = ":warning: drift: " + where(check) + " no longer matches commit `" + Commits.shortSha(check.sha())
                + "` as deployed (" + (check.plan() == null ? "" : check.plan().counts()) + ")"
                + (resources.isEmpty() ? "" : "\n" + String.join("\n", resources.stream()
                .map(r -> "• `" + SlackMessage.escape(r) + "`").toList()));
        slack.post(SlackMessage.of(text), "drift: " + check.dir() + " in " + check.environment() + " " + resources);
    }

    void backInSync(DriftStore.Check check) {
        slack.post(SlackMessage.of(":white_check_mark: back in sync: " + where(check) + " matches commit `"
                + Commits.shortSha(check.sha()) + "` as deployed again"), "back in sync: " + check.dir() + " in "
                + check.environment());
    }

    private static String where(DriftStore.Check check) {
        return "`" + SlackMessage.escape(check.dir()) + "` of " + SlackMessage.escape(check.repository()) + " in *"
                + SlackMessage.escape(check.environment()) + "*";
    }

    /** The first resource addresses the plan would change, "update aws_s3_bucket.logs". */
    static List<String> addresses(PlanResult.Summary plan) {
        List<String> out = new ArrayList<>();
        if (plan == null) {
            return out;
        }
        for (Map.Entry<String, List<String>> action : plan.addresses().entrySet()) {
            for (String address : action.getValue()) {
                if (out.size() < SHOWN) {
                    out.add(action.getKey() + " " + address);
                }
            }
        }
        return out;
    }
}
