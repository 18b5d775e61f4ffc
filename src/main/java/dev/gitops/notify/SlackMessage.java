package dev.gitops.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A message for Slack's incoming webhook, in Block Kit's vocabulary (the parts the controller uses). Link unfurling
 * is always off: a chat unfurler must never fetch an approval link.
 *
 * @param text the notification's plain text (and what the log says when Slack is not configured)
 */
public record SlackMessage(String text, List<Block> blocks,
                           @JsonProperty("unfurl_links") boolean unfurlLinks,
                           @JsonProperty("unfurl_media") boolean unfurlMedia) {

    public SlackMessage(String text, List<Block> blocks) {
        this(text, blocks, false, false);
    }

    /**
     * A value from a push made inert in Slack's mrkdwn: {@code &}, {@code <} and {@code >} escaped as Slack asks (so
     * {@code <!channel>} pings nobody and {@code <https://evil|click>} is no link), a backtick turned into a look-alike
     * so a name cannot close the code span it is shown in, control characters into spaces.
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '`' -> out.append('\u02CB');
                default -> out.append(Character.isISOControl(c) && c != '\n' ? ' ' : c);
            }
        }
        return out.toString();
    }

    /** A message of one section of mrkdwn. */
    public static SlackMessage of(String mrkdwn) {
        return new SlackMessage(mrkdwn, List.of(Section.of(Text.mrkdwn(mrkdwn))));
    }

    /** {@code plain_text} or {@code mrkdwn}. */
    public record Text(String type, String text) {
        public static Text plain(String text) {
            return new Text("plain_text", text);
        }

        public static Text mrkdwn(String text) {
            return new Text("mrkdwn", text);
        }
    }

    /** A layout block. */
    public sealed interface Block permits Header, Section, Actions {
    }

    public record Header(String type, Text text) implements Block {
        public static Header of(String plainText) {
            return new Header("header", Text.plain(plainText));
        }
    }

    /** A section: one text, or fields shown two by two. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Section(String type, Text text, List<Text> fields) implements Block {
        public static Section of(Text text) {
            return new Section("section", text, null);
        }

        public static Section fields(List<Text> fields) {
            return new Section("section", null, fields);
        }
    }

    public record Actions(String type, @JsonProperty("block_id") String blockId, List<Button> elements) implements Block {
        public static Actions of(String blockId, List<Button> elements) {
            return new Actions("actions", blockId, elements);
        }
    }

    /** A button; {@code url} opens a page, {@code confirm} asks before the press is sent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Button(String type, @JsonProperty("action_id") String actionId, String value, Text text, String style,
                         String url, Confirm confirm) {
        public static Button of(String label, String actionId, String value) {
            return new Button("button", actionId, value, Text.plain(label), null, null, null);
        }

        public Button style(String style) {
            return new Button(type, actionId, value, text, style, url, confirm);
        }

        public Button url(String url) {
            return new Button(type, actionId, value, text, style, url, confirm);
        }

        /** The second click: Slack asks {@code question} before it sends the press. */
        public Button confirm(String question, String yes) {
            return new Button(type, actionId, value, text, style, url, new Confirm(Text.plain(yes + "?"),
                    Text.plain(question), Text.plain(yes), Text.plain("Cancel")));
        }
    }

    public record Confirm(Text title, Text text, Text confirm, Text deny) {
    }
}
