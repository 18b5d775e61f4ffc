package dev.gitops.approval;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
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
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(("v0:" + seconds + ":").getBytes(StandardCharsets.UTF_8));
            String expected = "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    signature.trim().getBytes(StandardCharsets.US_ASCII)) ? null : "X-Slack-Signature does not match the body";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
