package dev.gitops.local;

import dev.gitops.runtime.LocalMode;
import dev.gitops.webhook.ConfiguredWebhookSecret;
import dev.gitops.webhook.WebhookConfiguration;
import dev.gitops.webhook.WebhookSecret;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Replaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Local mode uses {@code gitops.webhook.secret} when it is set; otherwise it generates one on first start and keeps
 * it in {@code <data-dir>/webhook-secret} (mode 600), so {@code mvn mn:run} works on a fresh machine and deliveries
 * are still verified.
 */
@Context
@LocalMode
@Replaces(ConfiguredWebhookSecret.class)
public class LocalWebhookSecret implements WebhookSecret {
    private static final Logger LOG = LoggerFactory.getLogger(LocalWebhookSecret.class);

    private final byte[] key;

    public LocalWebhookSecret(WebhookConfiguration webhook, LocalConfiguration local) {
        String secret = webhook.getSecret();
        if (secret == null) {
            Path file = local.dataPath().resolve("webhook-secret");
            secret = LocalSecrets.readOrCreate(file);
            LOG.info("webhook secret: GITOPS_WEBHOOK_SECRET is not set, using the one in \"{}\" (give GitHub the same)", file);
        }
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }
}
