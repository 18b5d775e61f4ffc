package dev.gitops.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code application/x-www-form-urlencoded} bodies read from their raw bytes (webhooks and Slack sign the bytes, so
 * the body is never bound by the framework first). The first value of a repeated field wins; a field whose encoding is
 * broken is left out, and the caller's checks name what is missing.
 */
public final class Forms {
    private Forms() {
    }

    public static Map<String, String> decode(byte[] body) {
        Map<String, String> form = new HashMap<>();
        if (body == null) {
            return form;
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    form.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException malformed) {
                    // left out
                }
            }
        }
        return form;
    }
}
