package dev.gitops.approval;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code gitops.approval.*}: {@code link-secret} signs approval links (required in AWS, so links survive cold starts;
 * generated into the data directory locally when unset).
 */
@ConfigurationProperties("gitops.approval")
public class ApprovalConfiguration {
    private String linkSecret;

    public String getLinkSecret() {
        return linkSecret;
    }

    public void setLinkSecret(String linkSecret) {
        this.linkSecret = linkSecret;
    }
}
