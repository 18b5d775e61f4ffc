package dev.gitops.execution;

/** Commit ids as people read them. */
public final class Commits {
    private Commits() {
    }

    /** The first seven characters of a commit id (all of a shorter one; "" for none). */
    public static String shortSha(String sha) {
        return sha == null ? "" : sha.substring(0, Math.min(7, sha.length()));
    }
}
