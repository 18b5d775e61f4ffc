package dev.gitops.webhook;

import dev.gitops.http.Hmac;

import java.util.HexFormat;
import java.util.Locale;

/** GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the raw body. */
public final class Signatures {
    private Signatures() {
    }

    public static String sign(byte[] key, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(Hmac.sha256(key, body));
    }

    /** Constant-time comparison of the header with the body's signature. */
    public static boolean valid(byte[] key, byte[] body, String header) {
        return header != null && Hmac.same(sign(key, body), header.trim().toLowerCase(Locale.ROOT));
    }
}
