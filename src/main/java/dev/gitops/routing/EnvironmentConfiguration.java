package dev.gitops.routing;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One environment, {@code gitops.environments.<name>.*}: which branches deploy to it, in which order environments
 * come, which environment it promotes to, its approval policy, the other names its directories carry
 * ({@code aliases}) and the credentials its local builds get ({@code runner-env}). Server configuration only: a
 * repository cannot change it.
 */
@EachProperty("gitops.environments")
public class EnvironmentConfiguration {
    private final String name;
    private Integer order;
    private List<String> branches = List.of();
    private String promotesTo;
    private String approval = "required";
    private Duration approvalTimeout = Duration.ofHours(24);
    private List<String> approvers = List.of();
    private List<String> aliases = List.of();
    private Map<String, String> runnerEnv = Map.of();
    private Integer runnerUid;

    public EnvironmentConfiguration(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public Integer getOrder() {
        return order;
    }

    public void setOrder(Integer order) {
        this.order = order;
    }

    public List<String> getBranches() {
        return branches;
    }

    public void setBranches(List<String> branches) {
        this.branches = branches;
    }

    public String getPromotesTo() {
        return promotesTo;
    }

    public void setPromotesTo(String promotesTo) {
        this.promotesTo = promotesTo;
    }

    public String getApproval() {
        return approval;
    }

    public void setApproval(String approval) {
        this.approval = approval;
    }

    public Duration getApprovalTimeout() {
        return approvalTimeout;
    }

    public void setApprovalTimeout(Duration approvalTimeout) {
        this.approvalTimeout = approvalTimeout;
    }

    public List<String> getApprovers() {
        return approvers;
    }

    public void setApprovers(List<String> approvers) {
        this.approvers = approvers;
    }

    public List<String> getAliases() {
        return aliases;
    }

    public void setAliases(List<String> aliases) {
        this.aliases = aliases;
    }

    public Map<String, String> getRunnerEnv() {
        return runnerEnv;
    }

    public void setRunnerEnv(Map<String, String> runnerEnv) {
        this.runnerEnv = runnerEnv;
    }

    /** The first of the 100 Unix user ids this environment's local builds run as (root only); null: the default. */
    public Integer getRunnerUid() {
        return runnerUid;
    }

    public void setRunnerUid(Integer runnerUid) {
        this.runnerUid = runnerUid;
    }
}
