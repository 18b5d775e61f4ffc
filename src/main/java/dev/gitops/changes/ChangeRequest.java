package dev.gitops.changes;

/**
 * What to compare for one event.
 *
 * @param repository      {@code owner/repo}
 * @param cloneUrl        where to fetch from (may carry no credentials)
 * @param ref             the pushed ref ({@code refs/heads/...}) or a pull request's head ({@code refs/pull/N/head})
 * @param before          the commit before a push (all zeros for a new branch); for a pull request, the base commit
 * @param after           the commit to deploy or plan
 * @param baseRef         the ref to find a merge base with: the promotion branch of a new branch, a pull request's
 *                        base branch; null when there is none
 * @param pullRequest     whether {@code before} is a base to take a merge base with (a pull request)
 * @param environment     the environment's name
 */
public record ChangeRequest(String repository, String cloneUrl, String ref, String before, String after, String baseRef,
                            boolean pullRequest, String environment) {
    public static final String ZEROS = "0000000000000000000000000000000000000000";

    public boolean newBranch() {
        return !pullRequest && ZEROS.equals(before);
    }
}
