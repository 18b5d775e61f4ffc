package dev.gitops.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The Slack messages (Block Kit) of an approval's life. Values from pushes are escaped for Slack's mrkdwn. */
final class SlackMessages {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int SHOWN_CHANGES = 10;

    private SlackMessages() {
    }

    /** Slack's mrkdwn control characters. */
    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static ObjectNode request(Approval a, String link) {
        JsonNode summary = a.planSummary();
        ObjectNode message = MAPPER.createObjectNode();
        message.put("text", "Approval needed: " + a.stack() + " in " + a.environment() + " (" + a.shortSha() + ")");
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                .put("text", cut("Approve " + a.stack() + " in " + a.environment() + "?", 150));
        ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
        field(fields, "*Environment*\n" + escape(a.environment()));
        field(fields, "*Stack*\n" + escape(a.stack()) + " (`" + escape(a.dir()) + "`)");
        field(fields, "*Commit*\n`" + a.shortSha() + "` " + escape(cut(firstLine(a.message()), 300)));
        field(fields, "*Author*\n" + escape(a.pusher()));
        field(fields, "*Plan*\n" + summary.path("add").asInt() + " to add, " + summary.path("change").asInt()
                + " to change, " + summary.path("destroy").asInt() + " to destroy");
        StringBuilder changes = new StringBuilder();
        int shown = 0;
        for (String action : new String[]{"delete", "replace", "update", "create"}) {
            for (JsonNode address : summary.path("addresses").path(action)) {
                if (shown++ < SHOWN_CHANGES) {
                    changes.append(symbol(action)).append(" `").append(escape(address.asText())).append("`\n");
                }
            }
        }
        if (changes.length() > 0) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", changes.toString());
        }
        ArrayNode actions = blocks.addObject().put("type", "actions").put("block_id", "approval").putArray("elements");
        button(actions, "Open the plan", "open", a.id(), null).put("url", link);
        confirm(button(actions, "Approve", "approve", a.id(), "primary"), "Apply this plan to " + a.environment() + "?", "Approve");
        confirm(button(actions, "Reject", "reject", a.id(), "danger"), "Reject this plan?", "Reject");
        return message;
    }

    static ObjectNode decided(Approval a, String status, String who) {
        String verb = switch (status) {
            case "approved" -> ":white_check_mark: approved by " + escape(who);
            case "rejected" -> ":x: rejected by " + escape(who);
            case "expired" -> ":hourglass: expired: nobody decided in time";
            default -> status;
        };
        return text(a.stack() + " in " + a.environment() + " (`" + a.shortSha() + "`): " + verb);
    }

    static ObjectNode superseded(Approval old, String newSha) {
        return text(old.stack() + " in " + old.environment() + ": commit `" + newSha.substring(0, 7)
                + "` replaced `" + old.shortSha() + "`, whose plan is no longer waiting for approval");
    }

    private static ObjectNode text(String mrkdwn) {
        ObjectNode message = MAPPER.createObjectNode().put("text", mrkdwn);
        message.putArray("blocks").addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
        return message;
    }

    private static void field(ArrayNode fields, String text) {
        fields.addObject().put("type", "mrkdwn").put("text", text);
    }

    private static ObjectNode button(ArrayNode actions, String text, String actionId, String value, String style) {
        ObjectNode button = actions.addObject().put("type", "button").put("action_id", actionId).put("value", value);
        button.putObject("text").put("type", "plain_text").put("text", text);
        if (style != null) {
            button.put("style", style);
        }
        return button;
    }

    /** The second click: Slack asks before it sends the decision. */
    private static void confirm(ObjectNode button, String question, String yes) {
        ObjectNode confirm = button.putObject("confirm");
        confirm.putObject("title").put("type", "plain_text").put("text", yes + "?");
        confirm.putObject("text").put("type", "plain_text").put("text", question);
        confirm.putObject("confirm").put("type", "plain_text").put("text", yes);
        confirm.putObject("deny").put("type", "plain_text").put("text", "Cancel");
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
