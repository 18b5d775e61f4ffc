package dev.gitops.routing;

import java.time.Duration;
import java.util.List;

/**
 * A validated environment.
 *
 * @param promotionBranch the branch a new branch of this environment is compared with (the merge base), or null
 * @param approvers       Slack user ids who alone decide; empty: anyone with the link
 */
public record Environment(String name, int order, List<Glob> branches, String promotionBranch, ApprovalPolicy approval,
                          Duration approvalTimeout, List<String> approvers) {
    public boolean matches(String branch) {
        return branches.stream().anyMatch(glob -> glob.matches(branch));
    }

    public boolean approvalRequired() {
        return approval == ApprovalPolicy.REQUIRED;
    }
}
