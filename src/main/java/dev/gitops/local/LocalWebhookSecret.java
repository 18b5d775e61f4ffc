package dev.gitops.local;

import dev.gitops.runtime.LocalMode;
import dev.gitops.webhook.ConfiguredWebhookSecret;
import dev.gitops.webhook.WebhookConfiguration;
import dev.gitops.webhook.WebhookSecret;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Replaces;

/**
 * Local mode uses {@code gitops.webhook.secret} when it is set; otherwise it generates one on first start and keeps
 * it in {@code <data-dir>/webhook-secret} (mode 600), so {@code mvn mn:run} works on a fresh machine and deliveries
 * are still verified.
 */
@Context
@LocalMode
@Replaces(ConfiguredWebhookSecret.class)
public class LocalWebhookSecret implements WebhookSecret {
    private final byte[] key;

    public LocalWebhookSecret(WebhookConfiguration webhook, LocalConfiguration local) {
        this.key = LocalSecrets.configuredOrKept(webhook.getSecret(), local.dataPath().resolve("webhook-secret"),
                "GITOPS_WEBHOOK_SECRET", "webhook secret (give GitHub the same)");
    }

    @Override
    public byte[] key() {
        return key.clone();
    }
}
