package dev.gitops.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's webhook deliveries API ({@link GithubApi}) for a repository's or an organisation's hook ({@code GET
 * .../hooks/{id}/deliveries}, newest first, paged by the {@code Link} header's cursor; {@code POST
 * .../deliveries/{delivery}/attempts} to redeliver), with {@code gitops.github.token} (it needs the right to read and
 * redeliver the hook's deliveries: a repository's or organisation's admin, or a fine-grained token with webhooks read
 * and write). Calls are made at once, not in the background: the reconciler waits for them.
 */
@Singleton
public class GithubDeliveries {
    private static final int PAGES = 20;

    /** A hook: {@code owner/repo:id} (a repository's) or {@code owner:id} (an organisation's). */
    public record Hook(String owner, String repo, long id) {
        private static final Pattern SPEC = Pattern.compile("([A-Za-z0-9_.-]+)(?:/([A-Za-z0-9_.-]+))?:([0-9]{1,20})");

        /** @throws IllegalArgumentException naming what a hook looks like */
        public static Hook parse(String spec) {
            Matcher m = SPEC.matcher(spec == null ? "" : spec.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + spec + "' is not a hook: write owner/repo:<hook id> for a"
                        + " repository's webhook or owner:<hook id> for an organisation's");
            }
            return new Hook(m.group(1), m.group(2), Long.parseLong(m.group(3)));
        }

        String path() {
            return (repo == null ? "/orgs/" + owner : "/repos/" + owner + "/" + repo) + "/hooks/" + id;
        }

        @Override
        public String toString() {
            return (repo == null ? owner : owner + "/" + repo) + ":" + id;
        }
    }

    /** One attempt at a delivery, as GitHub lists it (a redelivery keeps its delivery's guid). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attempt(long id, String guid, @JsonProperty("delivered_at") Instant deliveredAt, boolean redelivery,
                          String status, @JsonProperty("status_code") int statusCode, String event, String action) {
        /** Whether the controller answered it with a 2xx. */
        public boolean answered() {
            return statusCode >= 200 && statusCode < 300;
        }
    }

    private static final TypeReference<List<Attempt>> LIST = new TypeReference<>() { };

    private final GithubApi github;

    GithubDeliveries(GithubApi github) {
        this.github = github;
    }

    /** Whether a token is configured (without one, nothing can be listed). */
    public boolean configured() {
        return github.configured();
    }

    /** The hook's attempts delivered at {@code since} or later, newest first. */
    public List<Attempt> since(Hook hook, Instant since) throws GithubApi.Unavailable {
        List<Attempt> attempts = new ArrayList<>();
        String url = github.url(hook.path() + "/deliveries?per_page=100");
        for (int page = 0; page < PAGES && url != null; page++) {
            GithubApi.Page<Attempt> listed = github.page(url, LIST, "listing deliveries of hook " + hook);
            for (Attempt attempt : listed.items()) {
                if (attempt.deliveredAt() != null && attempt.deliveredAt().isBefore(since)) {
                    return attempts;
                }
                attempts.add(attempt);
            }
            url = listed.next();
        }
        return attempts;
    }

    /** Asks GitHub to deliver {@code attempt}'s delivery again. */
    public void redeliver(Hook hook, Attempt attempt) throws GithubApi.Unavailable {
        github.send(HttpRequest.newBuilder(URI.create(github.url(hook.path() + "/deliveries/" + attempt.id() + "/attempts")))
                .POST(HttpRequest.BodyPublishers.noBody()), "redelivering " + attempt.guid() + " of hook " + hook);
    }
}
