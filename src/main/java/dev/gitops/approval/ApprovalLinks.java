package dev.gitops.approval;

import dev.gitops.http.Hmac;
import dev.gitops.http.PublicUrl;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Signed approval links: {@code <public-url>/approvals/<id>?sig=<signature>}, the signature an HMAC-SHA256 of the id
 * and the approval's expiry under {@code gitops.approval.link-secret}. A link is worthless without the secret, stops
 * working when the approval expires, and works once (the approval's status, not the link, says so). The same key
 * derives the page's CSRF check.
 */
@Singleton
public class ApprovalLinks {
    private final LinkSecret secret;
    private final PublicUrl publicUrl;

    /** The secret is read when a link is first signed or checked (in AWS it may come from Secrets Manager). */
    public ApprovalLinks(LinkSecret secret, PublicUrl publicUrl) {
        this.secret = secret;
        this.publicUrl = publicUrl;
    }

    public PublicUrl publicUrl() {
        return publicUrl;
    }

    public String signature(String id, Instant expiresAt) {
        return mac("approval-link:v1:" + id + ":" + expiresAt.getEpochSecond());
    }

    public String link(String id, Instant expiresAt) {
        return unsigned(id) + "?sig=" + signature(id, expiresAt);
    }

    /** The page's address without a signature: it shows the status only (commit statuses link it). */
    public String unsigned(String id) {
        return publicUrl.value() + "/approvals/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    /** Constant-time check of a link's signature. */
    public boolean valid(String id, Instant expiresAt, String signature) {
        return Hmac.same(signature(id, expiresAt), signature);
    }

    /** The page's CSRF token for one approval and one browser nonce (the nonce also travels in a cookie). */
    public String csrf(String id, String nonce) {
        return mac("approval-csrf:v1:" + id + ":" + nonce);
    }

    public boolean validCsrf(String id, String nonce, String token) {
        return nonce != null && Hmac.same(csrf(id, nonce), token);
    }

    /**
     * A CSRF token for another of the controller's forms ({@code purpose}: which form, e.g. the console's lock release)
     * and one browser nonce (the nonce also travels in a cookie): the same key, another message.
     */
    public String formToken(String purpose, String nonce) {
        return mac("form-csrf:v1:" + purpose + ":" + nonce);
    }

    public boolean validFormToken(String purpose, String nonce, String token) {
        return nonce != null && token != null && Hmac.same(formToken(purpose, nonce), token);
    }

    private String mac(String text) {
        byte[] key = secret.key();
        if (key.length < 16) {
            throw new IllegalStateException("gitops.approval.link-secret must have at least 16 characters: approval"
                    + " links are signed with it");
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Hmac.sha256(key, text.getBytes(StandardCharsets.UTF_8)));
    }
}
