package dev.gitops.aws;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;

/**
 * {@code gitops.aws.*}: the SDK clients' region (else the SDK's default chain) and other endpoints for them
 * ({@code endpoints.stepfunctions}, {@code endpoints.dynamodb}: a VPC endpoint, an engine elsewhere; local mode points
 * them at its own).
 */
@ConfigurationProperties("gitops.aws")
public class AwsConfiguration {
    @Nullable
    @Pattern(regexp = "[a-z0-9-]+", message = "gitops.aws.region must be a region name such as eu-west-1")
    private String region;
    private Endpoints endpoints = new Endpoints();

    public String getRegion() {
        return region;
    }

    public void setRegion(@Nullable String region) {
        this.region = Settings.text(region);
    }

    public Endpoints getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    /** Endpoint overrides, empty for AWS's own. */
    @ConfigurationProperties("endpoints")
    public static class Endpoints {
        @Nullable
        @Pattern(regexp = "https?://\\S+", message = "gitops.aws.endpoints.stepfunctions must be an http(s) URL")
        private String stepfunctions;
        @Nullable
        @Pattern(regexp = "https?://\\S+", message = "gitops.aws.endpoints.dynamodb must be an http(s) URL")
        private String dynamodb;

        public String getStepfunctions() {
            return stepfunctions;
        }

        public void setStepfunctions(@Nullable String stepfunctions) {
            this.stepfunctions = Settings.text(stepfunctions);
        }

        public String getDynamodb() {
            return dynamodb;
        }

        public void setDynamodb(@Nullable String dynamodb) {
            this.dynamodb = Settings.text(dynamodb);
        }
    }
}
