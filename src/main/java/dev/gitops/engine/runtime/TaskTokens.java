package dev.gitops.engine.runtime;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Task tokens: opaque to callers, they name the execution and the TaskScheduled event they belong to, plus 128 random
 * bits so that a token cannot be guessed from another.
 */
public final class TaskTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A decoded token. */
    public record Token(String executionArn, long scheduledEventId, String nonce) {
    }

    private TaskTokens() {
    }

    static String issue(String executionArn, long scheduledEventId) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String raw = executionArn + "|" + scheduledEventId + "|" + HexFormat.of().formatHex(nonce);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a token; null when it is not one this engine issued. */
    public static Token decode(String token) {
        if (token == null || token.isEmpty() || token.length() > 2048) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int last = raw.lastIndexOf('|');
            int middle = last > 0 ? raw.lastIndexOf('|', last - 1) : -1;
            if (middle <= 0 || !raw.startsWith("arn:aws:states:")) {
                return null;
            }
            String nonce = raw.substring(last + 1);
            if (!nonce.matches("[0-9a-f]{32}")) {
                return null;
            }
            return new Token(raw.substring(0, middle), Long.parseLong(raw.substring(middle + 1, last)), nonce);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
