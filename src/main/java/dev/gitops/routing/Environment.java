package dev.gitops.routing;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A validated environment.
 *
 * @param promotionBranch the branch a new branch of this environment is compared with (the merge base), or null
 * @param approvers       Slack user ids who alone decide; empty: anyone with the link
 * @param aliases         other names of this environment in directory and file names ({@code environments/prod} for
 *                        {@code prd}), lower case
 * @param runnerEnv       the credentials local builds of this environment run with
 * @param runnerUid       the first of the 100 Unix user ids its local builds run as, when the controller runs as root
 *                        (plans: the first 50, applies: the next 50)
 */
public record Environment(String name, int order, List<Glob> branches, String promotionBranch, ApprovalPolicy approval,
                          Duration approvalTimeout, List<String> approvers, Set<String> aliases, RunnerEnv runnerEnv,
                          int runnerUid) {
    /** Where the default user ids of environments' builds start: 61000, 61100, ... by order. */
    public static final int FIRST_RUNNER_UID = 61000;
    /** How many user ids one environment's builds use. */
    public static final int RUNNER_UIDS = 100;

    public boolean matches(String branch) {
        return branches.stream().anyMatch(glob -> glob.matches(branch));
    }

    public boolean approvalRequired() {
        return approval == ApprovalPolicy.REQUIRED;
    }

    /** The environment's name, then its aliases: the names its directories and files may carry. */
    public List<String> directoryNames() {
        List<String> names = new java.util.ArrayList<>();
        names.add(name);
        aliases.stream().sorted().forEach(names::add);
        return List.copyOf(names);
    }
}
