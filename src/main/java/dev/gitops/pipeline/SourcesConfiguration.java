package dev.gitops.pipeline;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;

/**
 * {@code gitops.sources.location}: where the source archives builds start from are kept in AWS
 * ({@code s3://bucket/sources}, a prefix build roles may read and not write; set by the SAM template). Locally they are
 * kept in the data directory.
 */
@ConfigurationProperties("gitops.sources")
public class SourcesConfiguration {
    @Nullable
    @Pattern(regexp = "s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/\\S*)?", message = "gitops.sources.location must be an S3 location such as s3://bucket/sources")
    private String location;

    public String getLocation() {
        return location;
    }

    public void setLocation(@Nullable String location) {
        this.location = Settings.text(location);
    }
}
