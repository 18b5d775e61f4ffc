package dev.gitops.local;

import dev.gitops.approval.ApprovalConfiguration;
import dev.gitops.approval.ConfiguredLinkSecret;
import dev.gitops.approval.LinkSecret;
import dev.gitops.runtime.LocalMode;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;

/**
 * Local mode signs approval links with {@code gitops.approval.link-secret} when it is set; otherwise with a secret
 * generated once into {@code <data-dir>/approval-link-secret}, so links survive restarts too.
 */
@Singleton
@LocalMode
@Replaces(ConfiguredLinkSecret.class)
public class LocalLinkSecret implements LinkSecret {
    private final byte[] key;

    public LocalLinkSecret(ApprovalConfiguration approval, LocalConfiguration local) {
        this.key = LocalSecrets.configuredOrKept(approval.getLinkSecret(), local.dataPath().resolve("approval-link-secret"),
                "GITOPS_APPROVAL_LINK_SECRET", "approval links");
    }

    @Override
    public byte[] key() {
        return key.clone();
    }
}
