package dev.gitops.approval;

import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/** The link secret from {@code gitops.approval.link-secret} (required in AWS, so links survive cold starts). */
@Singleton
public class ConfiguredLinkSecret implements LinkSecret {
    private final byte[] key;

    public ConfiguredLinkSecret(ApprovalConfiguration config) {
        if (config.getLinkSecret() == null) {
            throw new IllegalStateException("gitops.approval.link-secret (GITOPS_APPROVAL_LINK_SECRET) must be set (at"
                    + " least 16 characters): approval links are signed with it");
        }
        this.key = config.getLinkSecret().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }
}
