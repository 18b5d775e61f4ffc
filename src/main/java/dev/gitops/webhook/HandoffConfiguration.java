package dev.gitops.webhook;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;

/**
 * {@code gitops.handoff.*}, in Lambda: where a delivery whose work outruns the sync budget is kept
 * ({@code location}, {@code s3://bucket/prefix}) and the queue its key is sent to ({@code queue-url}), so that it is
 * finished by the hand-off function rather than lost when Lambda freezes the process after the answer.
 */
@ConfigurationProperties("gitops.handoff")
public class HandoffConfiguration {
    @Nullable
    @Pattern(regexp = "s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/\\S*)?", message = "gitops.handoff.location must be an S3 location such as s3://bucket/handoff")
    private String location;
    @Nullable
    @Pattern(regexp = "https?://\\S+", message = "gitops.handoff.queue-url must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)")
    private String queueUrl;

    public String getLocation() {
        return location;
    }

    public void setLocation(@Nullable String location) {
        this.location = Settings.text(location);
    }

    public String getQueueUrl() {
        return queueUrl;
    }

    public void setQueueUrl(@Nullable String queueUrl) {
        this.queueUrl = Settings.text(queueUrl);
    }
}
