package dev.gitops.webhook;

/** The key GitHub signs deliveries with ({@code X-Hub-Signature-256}). */
public interface WebhookSecret {
    byte[] key();
}
