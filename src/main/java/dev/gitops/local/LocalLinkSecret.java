package dev.gitops.local;

import dev.gitops.approval.ApprovalConfiguration;
import dev.gitops.approval.ConfiguredLinkSecret;
import dev.gitops.approval.LinkSecret;
import dev.gitops.runtime.LocalMode;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Local mode signs approval links with {@code gitops.approval.link-secret} when it is set; otherwise with a secret
 * generated once into {@code <data-dir>/approval-link-secret}, so links survive restarts too.
 */
@Singleton
@LocalMode
@Replaces(ConfiguredLinkSecret.class)
public class LocalLinkSecret implements LinkSecret {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLinkSecret.class);

    private final byte[] key;

    public LocalLinkSecret(ApprovalConfiguration approval, LocalConfiguration local) {
        String secret = approval.getLinkSecret();
        if (secret == null) {
            Path file = local.dataPath().resolve("approval-link-secret");
            secret = LocalSecrets.readOrCreate(file);
            LOG.info("approval links: GITOPS_APPROVAL_LINK_SECRET is not set, signing with the secret in \"{}\"", file);
        }
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }
}
