package dev.gitops.console;

import dev.gitops.web.Frame;

import java.util.List;

/**
 * {@code /ui/locks} ({@code console/locks.jte}): the locks held now, each with a release form that asks for the admin
 * token.
 *
 * @param csrf   the forms' CSRF token (its nonce is in a cookie)
 * @param notice what the last release did, or null
 * @param error  why the last release was refused, or null
 */
public record LocksPage(Frame frame, List<Row> locks, String csrf, String notice, String error) {
    /** A held lock. {@code holderPage}: the holding execution's console page. */
    public record Row(String id, String holder, String holderPage, String sha, String branch, String phase,
                      String acquiredAt, String age, String expiresAt, String nextInLine) {
    }
}
