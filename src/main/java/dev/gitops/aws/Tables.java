package dev.gitops.aws;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;

/** DynamoDB table names, {@code gitops.tables.*} (e.g. GITOPS_TABLES_DELIVERIES). */
@ConfigurationProperties("gitops.tables")
public class Tables {
    @NotBlank
    private String locks = "gitops-locks";
    @NotBlank
    private String approvals = "gitops-approvals";
    @NotBlank
    private String deployments = "gitops-deployments";
    @NotBlank
    private String deliveries = "gitops-deliveries";
    @NotBlank
    private String drift = "gitops-drift";

    public String getLocks() {
        return locks;
    }

    public void setLocks(String locks) {
        this.locks = locks;
    }

    public String getApprovals() {
        return approvals;
    }

    public void setApprovals(String approvals) {
        this.approvals = approvals;
    }

    public String getDeployments() {
        return deployments;
    }

    public void setDeployments(String deployments) {
        this.deployments = deployments;
    }

    public String getDeliveries() {
        return deliveries;
    }

    public void setDeliveries(String deliveries) {
        this.deliveries = deliveries;
    }

    /** {@code gitops.tables.drift}: the latest drift check of each stack and environment. */
    public String getDrift() {
        return drift;
    }

    public void setDrift(String drift) {
        this.drift = drift;
    }
}
