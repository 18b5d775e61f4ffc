package dev.gitops.webhook;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/**
 * The secret from {@code gitops.webhook.secret} (GITOPS_WEBHOOK_SECRET, or Secrets Manager through the environment).
 * Missing, the controller does not start: an unverifiable webhook must not be served. The pipeline's functions
 * ({@code GITOPS_FUNCTION} set, see {@code FunctionHandler}) serve no webhook and do not need it.
 */
@Context
@Singleton
@Requires(missingProperty = "gitops.function")
public class ConfiguredWebhookSecret implements WebhookSecret {
    private final byte[] key;

    public ConfiguredWebhookSecret(WebhookConfiguration configuration) {
        String secret = configuration.getSecret();
        if (secret == null) {
            throw new IllegalStateException("gitops.webhook.secret is not set (environment variable GITOPS_WEBHOOK_SECRET):"
                    + " webhook signatures cannot be checked, so the controller will not start");
        }
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }
}
