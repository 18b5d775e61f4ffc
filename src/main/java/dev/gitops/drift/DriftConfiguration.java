package dev.gitops.drift;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * {@code gitops.drift.*}: when drift checks run ({@code schedule}: {@code rate(1 day)} by default, any EventBridge
 * {@code rate(...)} or {@code cron(...)} expression, or {@code off}), how many stacks plan at once
 * ({@code max-concurrency}, default 4) and, in AWS, the drift state machine ({@code state-machine-arn}; local mode
 * deploys its own).
 */
@ConfigurationProperties("gitops.drift")
public class DriftConfiguration {
    @NotBlank
    @Pattern(regexp = "off|rate\\(\\s*[1-9][0-9]*\\s+(minute|minutes|hour|hours|day|days)\\s*\\)|cron\\(.+\\)",
            message = "gitops.drift.schedule must be off, rate(<n> minutes|hours|days) or cron(<minutes> <hours>"
                    + " <day-of-month> <month> <day-of-week> <year>)")
    private String schedule = "rate(1 day)";
    @Min(value = 1, message = "gitops.drift.max-concurrency must be between 1 and 40")
    @Max(value = 40, message = "gitops.drift.max-concurrency must be between 1 and 40")
    private int maxConcurrency = 4;
    @Nullable
    @Pattern(regexp = "arn:\\S+:states:\\S+:stateMachine:\\S+",
            message = "gitops.drift.state-machine-arn must be a state machine's ARN")
    private String stateMachineArn;

    public String getSchedule() {
        return schedule;
    }

    public void setSchedule(String schedule) {
        this.schedule = schedule == null || schedule.isBlank() ? "rate(1 day)" : schedule.trim();
    }

    public int getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(int maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    public String getStateMachineArn() {
        return stateMachineArn;
    }

    public void setStateMachineArn(@Nullable String stateMachineArn) {
        this.stateMachineArn = Settings.text(stateMachineArn);
    }
}
