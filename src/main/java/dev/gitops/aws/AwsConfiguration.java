package dev.gitops.aws;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;

/**
 * {@code gitops.aws.*}: the SDK clients' region (else the SDK's default chain), other endpoints for them
 * ({@code endpoints.*}: a VPC endpoint, an engine elsewhere, a stand-in in tests; local mode points Step Functions and
 * DynamoDB at its own), and how long one call may take ({@code call-timeout}, all attempts together, and
 * {@code max-attempts}): in Lambda 2 s and 2 attempts, so that an AWS outage costs a webhook delivery about 2 s before
 * it is answered, never most of GitHub's 10 s in retries.
 */
@ConfigurationProperties("gitops.aws")
public class AwsConfiguration {
    private static final String URL = "https?://\\S+";

    @Nullable
    @Pattern(regexp = "[a-z0-9-]+", message = "gitops.aws.region must be a region name such as eu-west-1")
    private String region;
    @NotNull(message = "gitops.aws.call-timeout must be a duration such as 2s")
    private Duration callTimeout = Duration.ofSeconds(10);
    @Min(value = 1, message = "gitops.aws.max-attempts must be between 1 and 10")
    @Max(value = 10, message = "gitops.aws.max-attempts must be between 1 and 10")
    private int maxAttempts = 3;
    private Endpoints endpoints = new Endpoints();

    public String getRegion() {
        return region;
    }

    public void setRegion(@Nullable String region) {
        this.region = Settings.text(region);
    }

    /** One SDK call, every attempt included. */
    public Duration getCallTimeout() {
        return callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
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
        @Pattern(regexp = URL, message = "gitops.aws.endpoints.stepfunctions must be an http(s) URL")
        private String stepfunctions;
        @Nullable
        @Pattern(regexp = URL, message = "gitops.aws.endpoints.dynamodb must be an http(s) URL")
        private String dynamodb;
        @Nullable
        @Pattern(regexp = URL, message = "gitops.aws.endpoints.secretsmanager must be an http(s) URL")
        private String secretsmanager;
        @Nullable
        @Pattern(regexp = URL, message = "gitops.aws.endpoints.s3 must be an http(s) URL")
        private String s3;
        @Nullable
        @Pattern(regexp = URL, message = "gitops.aws.endpoints.sqs must be an http(s) URL")
        private String sqs;

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

        public String getSecretsmanager() {
            return secretsmanager;
        }

        public void setSecretsmanager(@Nullable String secretsmanager) {
            this.secretsmanager = Settings.text(secretsmanager);
        }

        public String getS3() {
            return s3;
        }

        public void setS3(@Nullable String s3) {
            this.s3 = Settings.text(s3);
        }

        public String getSqs() {
            return sqs;
        }

        public void setSqs(@Nullable String sqs) {
            this.sqs = Settings.text(sqs);
        }
    }
}
