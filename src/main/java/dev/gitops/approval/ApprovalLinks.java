package dev.gitops.approval;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

/**
 * Signed approval links: {@code <public-url>/approvals/<id>?sig=<signature>}, the signature an HMAC-SHA256 of the id
 * and the approval's expiry under {@code gitops.approval.link-secret}. A link is worthless without the secret, stops
 * working when the approval expires, and works once (the approval's status, not the link, says so). The same key
 * derives the page's CSRF check.
 */
public final class ApprovalLinks {
    private final byte[] key;
    private final String publicUrl;

    public ApprovalLinks(byte[] key, String publicUrl) {
        if (key == null || key.length < 16) {
            throw new IllegalStateException("gitops.approval.link-secret must be set (at least 16 characters): approval"
                    + " links are signed with it");
        }
        this.key = key.clone();
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    public String publicUrl() {
        return publicUrl;
    }

    public String signature(String id, Instant expiresAt) {
        return mac("approval-link:v1:" + id + ":" + expiresAt.getEpochSecond());
    }

    public String link(String id, Instant expiresAt) {
        return publicUrl + "/approvals/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "?sig=" + signature(id, expiresAt);
    }

    /** Constant-time check of a link's signature. */
    public boolean valid(String id, Instant expiresAt, String signature) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(signature(id, expiresAt).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    /** The page's CSRF token for one approval and one browser nonce (the nonce also travels in a cookie). */
    public String csrf(String id, String nonce) {
        return mac("approval-csrf:v1:" + id + ":" + nonce);
    }

    public boolean validCsrf(String id, String nonce, String token) {
        if (nonce == null || token == null) {
            return false;
        }
        return MessageDigest.isEqual(csrf(id, nonce).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
