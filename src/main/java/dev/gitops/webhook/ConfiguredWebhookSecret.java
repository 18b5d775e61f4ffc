package dev.gitops.webhook;

import dev.gitops.secrets.Secret;
import dev.gitops.secrets.Secrets;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/**
 * The secret from {@code gitops.webhook.secret}, or from the Secrets Manager secret {@code gitops.webhook.secret-arn}
 * names (read on the first delivery, and again when a signature does not match, to follow a rotation). Neither set,
 * the controller does not start: an unverifiable webhook must not be served. The pipeline's functions
 * ({@code GITOPS_FUNCTION} set, see {@code FunctionHandler}) serve no webhook and do not need it.
 */
@Context
@Singleton
@Requires(missingProperty = "gitops.function")
public class ConfiguredWebhookSecret implements WebhookSecret {
    private final Secret secret;

    public ConfiguredWebhookSecret(WebhookConfiguration configuration, Secrets secrets) {
        this.secret = secrets.of("gitops.webhook.secret", configuration.getSecret(), configuration.getSecretArn());
        if (!secret.configured()) {
            throw new IllegalStateException("gitops.webhook.secret is not set (environment variable GITOPS_WEBHOOK_SECRET,"
                    + " or GITOPS_WEBHOOK_SECRET_ARN naming a Secrets Manager secret): webhook signatures cannot be"
                    + " checked, so the controller will not start");
        }
    }

    @Override
    public byte[] key() {
        return secret.value().orElseThrow().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean reread() {
        return secret.reread();
    }
}
