package dev.gitops.approval;

import dev.gitops.secrets.Secret;
import dev.gitops.secrets.Secrets;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/**
 * The link secret from {@code gitops.approval.link-secret}, or the Secrets Manager secret
 * {@code gitops.approval.link-secret-arn} names (read when a link is first signed or checked). Required in AWS, so
 * links survive cold starts.
 */
@Singleton
public class ConfiguredLinkSecret implements LinkSecret {
    private static final int MIN_LENGTH = 16;

    private final Secret secret;

    public ConfiguredLinkSecret(ApprovalConfiguration config, Secrets secrets) {
        this.secret = secrets.of("gitops.approval.link-secret", config.getLinkSecret(), config.getLinkSecretArn());
        if (!secret.configured()) {
            throw new IllegalStateException("gitops.approval.link-secret (GITOPS_APPROVAL_LINK_SECRET, or"
                    + " GITOPS_APPROVAL_LINK_SECRET_ARN naming a Secrets Manager secret) must be set (at least 16"
                    + " characters): approval links are signed with it");
        }
    }

    @Override
    public byte[] key() {
        String value = secret.value().orElseThrow();
        if (value.length() < MIN_LENGTH) {
            throw new IllegalStateException(secret + " has fewer than 16 characters: approval links need a longer secret");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
