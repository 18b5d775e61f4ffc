package dev.gitops.routing;

import java.time.Duration;
import java.util.List;

/**
 * A validated environment.
 *
 * @param promotionBranch the branch a new branch of this environment is compared with (the merge base), or null
 */
public record Environment(String name, int order, List<Glob> branches, String promotionBranch, boolean approvalRequired,
                          Duration approvalTimeout, List<String> approvers) {
    public boolean matches(String branch) {
        return branches.stream().anyMatch(glob -> glob.matches(branch));
    }
}
