package dev.gitops.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.gitops.secrets.Secret;
import dev.gitops.secrets.SecretUnavailable;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Locale;

/**
 * GitHub commit statuses ({@code POST {gitops.github.api-url}/repos/{owner}/{repo}/statuses/{sha}}, context
 * {@code gitops/<env>/<stack>}) with {@code gitops.github.token}; without a token, the log says them.
 */
@Singleton
public class CommitStatuses {
    private static final Logger LOG = LoggerFactory.getLogger(CommitStatuses.class);
    private static final int MAX_DESCRIPTION = 140;

    /** A commit status's state, as GitHub names it. */
    public enum State {
        PENDING, SUCCESS, FAILURE, ERROR;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The body of GitHub's create-status call. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Body(State state, String context, String description, @JsonProperty("target_url") String targetUrl) {
    }

    private final String api;
    private final Secret token;
    private final Poster poster;

    CommitStatuses(GithubConfiguration config, Poster poster, GithubToken token) {
        this.api = config.getApiUrl();
        this.token = token.secret();
        this.poster = poster;
    }

    /** The status context of a stack in an environment: {@code gitops/<env>/<stack>}. */
    public static String context(String environment, String stack) {
        return "gitops/" + environment + "/" + stack;
    }

    /** Sets {@code context}'s status on {@code sha}; {@code targetUrl} is where its link leads, or null. */
    public void set(String repository, String sha, String context, State state, String description,
                    @Nullable String targetUrl) {
        String text = description.length() > MAX_DESCRIPTION ? description.substring(0, MAX_DESCRIPTION - 1) + "…" : description;
        if (!token.configured()) {
            LOG.info("github status (gitops.github.token not set): {} {} {}: {} {}", repository, sha, context,
                    state.wire(), text);
            return;
        }
        String bearer;
        try {
            bearer = token.value().orElseThrow();
        } catch (SecretUnavailable e) {
            LOG.warn("github status {} on {}@{} not set: {}", context, repository, sha, e.getMessage());
            return;
        }
        poster.post(HttpRequest.newBuilder(URI.create(api + "/repos/" + repository + "/statuses/" + sha))
                        .header("Accept", "application/vnd.github+json")
                        .header("Authorization", "Bearer " + bearer)
                        .header("X-GitHub-Api-Version", "2022-11-28"),
                new Body(state, context, text, targetUrl), "status " + context + "=" + state.wire() + " on " + repository + "@" + sha);
    }
}
