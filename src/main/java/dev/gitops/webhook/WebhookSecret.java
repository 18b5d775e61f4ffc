package dev.gitops.webhook;

/** The key GitHub signs deliveries with ({@code X-Hub-Signature-256}). */
public interface WebhookSecret {
    byte[] key();

    /**
     * Reads the key again after a signature did not match (a rotated secret), where it comes from Secrets Manager.
     *
     * @return whether a different key was read, so the signature is worth checking again
     */
    default boolean reread() {
        return false;
    }
}
