package dev.gitops.approval;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;
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
    @Nullable
    @Pattern(regexp = "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+", message = "gitops.approval.link-secret-arn must be the ARN of a Secrets Manager secret")
    private String linkSecretArn;

    public String getLinkSecret() {
        return linkSecret;
    }

    public void setLinkSecret(@Nullable String linkSecret) {
        this.linkSecret = Settings.text(linkSecret);
    }

    /** {@code gitops.approval.link-secret-arn}: the Secrets Manager secret holding the link secret. */
    public String getLinkSecretArn() {
        return linkSecretArn;
    }

    public void setLinkSecretArn(@Nullable String linkSecretArn) {
        this.linkSecretArn = Settings.text(linkSecretArn);
    }
}
