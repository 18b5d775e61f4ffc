package dev.gitops.local;

import dev.gitops.webhook.ConfiguredWebhookSecret;
import dev.gitops.webhook.WebhookConfiguration;
import dev.gitops.webhook.WebhookSecret;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Local mode uses {@code gitops.webhook.secret} when it is set; otherwise it generates one on first start and keeps
 * it in {@code <data-dir>/webhook-secret} (mode 600), so {@code mvn mn:run} works on a fresh machine and deliveries
 * are still verified.
 */
@Context
@Singleton
@Replaces(ConfiguredWebhookSecret.class)
@Requires(notEnv = {Environment.FUNCTION, "lambda"})
@Requires(property = "gitops.local.enabled", notEquals = "false")
public class LocalWebhookSecret implements WebhookSecret {
    private static final Logger LOG = LoggerFactory.getLogger(LocalWebhookSecret.class);

    private final byte[] key;

    public LocalWebhookSecret(WebhookConfiguration webhook, LocalConfiguration local) {
        String secret = webhook.getSecret();
        if (secret == null || secret.isBlank()) {
            Path file = local.dataPath().resolve("webhook-secret");
            secret = readOrCreate(file);
            LOG.info("webhook secret: GITOPS_WEBHOOK_SECRET is not set, using the one in \"{}\" (give GitHub the same)", file);
        }
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** A random secret kept in {@code file} (mode 600), made on first use. */
    public static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String secret = HexFormat.of().formatHex(random);
            Files.writeString(file, secret + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local webhook secret " + file, e);
        }
    }

    @Override
    public byte[] key() {
        return key.clone();
    }
}
