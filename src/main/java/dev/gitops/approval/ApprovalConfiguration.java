package dev.gitops.approval;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Size;

/**
 * {@code gitops.approval.*}: {@code link-secret} signs approval links (required in AWS, so links survive cold starts;
 * generated into the data directory locally when unset).
 */
@ConfigurationProperties("gitops.approval")
public class ApprovalConfiguration {
    @Nullable
    @Size(min = 16, message = "gitops.approval.link-secret must have at least 16 characters")
    private String linkSecret;

    public String getLinkSecret() {
        return linkSecret;
    }

    public void setLinkSecret(@Nullable String linkSecret) {
        this.linkSecret = Settings.text(linkSecret);
    }
}
