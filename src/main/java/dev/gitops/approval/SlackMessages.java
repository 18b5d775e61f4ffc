package dev.gitops.approval;

import dev.gitops.execution.Commits;
import dev.gitops.execution.PlanResult;
import dev.gitops.notify.SlackMessage;
import dev.gitops.notify.SlackMessage.Actions;
import dev.gitops.notify.SlackMessage.Block;
import dev.gitops.notify.SlackMessage.Button;
import dev.gitops.notify.SlackMessage.Header;
import dev.gitops.notify.SlackMessage.Section;
import dev.gitops.notify.SlackMessage.Text;

import java.util.ArrayList;
import java.util.List;

/** The Slack messages (Block Kit) of an approval's life. Values from pushes are escaped for Slack's mrkdwn. */
final class SlackMessages {
    private static final int SHOWN_CHANGES = 10;
    private static final List<String> ACTIONS = List.of("delete", "replace", "update", "create");

    private SlackMessages() {
    }

    /** A value from a push made inert in Slack's mrkdwn ({@link SlackMessage#escape}). */
    static String escape(String text) {
        return SlackMessage.escape(text);
    }

    /** A value from a push for a plain_text field: not formatted by Slack, and with no angle brackets to be misread. */
    static String plain(String text) {
        return text == null ? "" : text.replace('<', '\u2039').replace('>', '\u203A');
    }

    static SlackMessage request(Approval a, String link) {
        PlanResult.Summary summary = a.planSummary();
        List<Block> blocks = new ArrayList<>();
        blocks.add(Header.of(cut("Approve " + plain(a.stack()) + " in " + plain(a.environment()) + "?", 150)));
        blocks.add(Section.fields(List.of(
                Text.mrkdwn("*Environment*\n" + escape(a.environment())),
                Text.mrkdwn("*Stack*\n" + escape(a.stack()) + " (`" + escape(a.dir()) + "`)"),
                Text.mrkdwn("*Commit*\n`" + a.shortSha() + "` " + escape(cut(firstLine(a.message()), 300))),
                Text.mrkdwn("*Author*\n" + escape(a.pusher())),
                Text.mrkdwn("*Plan*\n" + summary.add() + " to add, " + summary.change() + " to change, "
                        + summary.destroy() + " to destroy"))));
        StringBuilder changes = new StringBuilder();
        int shown = 0;
        for (String action : ACTIONS) {
            for (String address : summary.addresses().getOrDefault(action, List.of())) {
                if (shown++ < SHOWN_CHANGES) {
                    changes.append(symbol(action)).append(" `").append(escape(address)).append("`\n");
                }
            }
        }
        if (changes.length() > 0) {
            blocks.add(Section.of(Text.mrkdwn(changes.toString())));
        }
        blocks.add(Actions.of("approval", List.of(
                Button.of("Open the plan", "open", a.id()).url(link),
                Button.of("Approve", "approve", a.id()).style("primary").confirm("Apply this plan to " + a.environment() + "?", "Approve"),
                Button.of("Reject", "reject", a.id()).style("danger").confirm("Reject this plan?", "Reject"))));
        return new SlackMessage("Approval needed: " + escape(a.stack()) + " in " + escape(a.environment()) + " ("
                + a.shortSha() + ")", blocks);
    }

    static SlackMessage decided(Approval a, ApprovalStatus status, String who) {
        String verb = switch (status) {
            case APPROVED -> ":white_check_mark: approved by " + escape(who);
            case REJECTED -> ":x: rejected by " + escape(who);
            case EXPIRED -> ":hourglass: expired: nobody decided in time";
            default -> status.wire();
        };
        return SlackMessage.of(escape(a.stack()) + " in " + escape(a.environment()) + " (`" + a.shortSha() + "`): " + verb);
    }

    static SlackMessage superseded(Approval old, String newSha) {
        return SlackMessage.of(escape(old.stack()) + " in " + escape(old.environment()) + ": commit `" + Commits.shortSha(newSha)
                + "` replaced `" + old.shortSha() + "`, whose plan is no longer waiting for approval");
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String symbol(String action) {
        return switch (action) {
            case "create" -> "+";
            case "delete" -> "-";
            case "replace" -> "-/+";
            default -> "~";
        };
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
