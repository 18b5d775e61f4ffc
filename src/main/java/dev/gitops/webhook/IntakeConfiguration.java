package dev.gitops.webhook;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotEmpty;

import java.util.List;

/**
 * What the front door takes in: {@code gitops.repositories}, the allow-list of {@code owner/repo} globs
 * (case-insensitive; an entry without {@code /} is an owner; default {@code *}), and
 * {@code gitops.pull-requests.allow-forks}, whether pull requests from forks are planned (their code runs in the plan).
 */
@ConfigurationProperties("gitops")
public class IntakeConfiguration {
    @NotEmpty(message = "gitops.repositories must name at least one owner/repo glob (* for all)")
    private List<String> repositories = List.of("*");
    private PullRequests pullRequests = new PullRequests();

    public List<String> getRepositories() {
        return repositories;
    }

    public void setRepositories(List<String> repositories) {
        this.repositories = repositories;
    }

    public PullRequests getPullRequests() {
        return pullRequests;
    }

    public void setPullRequests(PullRequests pullRequests) {
        this.pullRequests = pullRequests;
    }

    /** {@code gitops.pull-requests.*}. */
    @ConfigurationProperties("pull-requests")
    public static class PullRequests {
        private boolean allowForks;

        public boolean isAllowForks() {
            return allowForks;
        }

        public void setAllowForks(boolean allowForks) {
            this.allowForks = allowForks;
        }
    }
}
