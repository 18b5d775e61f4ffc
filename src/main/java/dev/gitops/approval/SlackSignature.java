package dev.gitops.approval;

import dev.gitops.http.Hmac;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Slack's request signature (version v0): {@code X-Slack-Signature = v0=hex(HMAC-SHA256(signing secret,
 * "v0:" + X-Slack-Request-Timestamp + ":" + body))}, and a timestamp within five minutes of now (replays).
 */
public final class SlackSignature {
    static final Duration WINDOW = Duration.ofMinutes(5);

    private SlackSignature() {
    }

    /** Null when the request is Slack's, else why not. */
    public static String check(byte[] secret, String timestamp, byte[] body, String signature, Instant now) {
        if (timestamp == null || signature == null) {
            return "X-Slack-Request-Timestamp and X-Slack-Signature are required";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return "X-Slack-Request-Timestamp is not a number";
        }
        if (Math.abs(now.getEpochSecond() - seconds) > WINDOW.toSeconds()) {
            return "the request is more than 5 minutes old (or from the future): replays are refused";
        }
        return Hmac.same(sign(secret, seconds, body), signature.trim()) ? null : "X-Slack-Signature does not match the body";
    }

    /** The signature Slack sends with a request of {@code body} at {@code timestamp} (epoch seconds). */
    public static String sign(byte[] secret, long timestamp, byte[] body) {
        return "v0=" + HexFormat.of().formatHex(Hmac.sha256(secret, ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8), body));
    }
}
