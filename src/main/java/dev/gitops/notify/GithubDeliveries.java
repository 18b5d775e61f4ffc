package dev.gitops.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.secrets.Secret;
import dev.gitops.secrets.SecretUnavailable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's webhook deliveries API for a repository's or an organisation's hook ({@code GET
 * .../hooks/{id}/deliveries}, newest first, paged by the {@code Link} header's cursor; {@code POST
 * .../deliveries/{delivery}/attempts} to redeliver), with {@code gitops.github.token} (it needs the right to read and
 * redeliver the hook's deliveries: a repository's or organisation's admin, or a fine-grained token with webhooks read
 * and write). Calls are made at once, not in the background: the reconciler waits for them.
 */
@Singleton
public class GithubDeliveries {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
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

    /** The API refused or could not be reached: a sentence saying which call and why. */
    public static class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;
    private final Secret token;
    private final ObjectMapper mapper;

    GithubDeliveries(GithubConfiguration config, GithubToken token, ObjectMapper mapper) {
        this.api = config.getApiUrl();
        this.token = token.secret();
        this.mapper = mapper;
    }

    /** Whether a token is configured (without one, nothing can be listed). */
    public boolean configured() {
        return token.configured();
    }

    /** The hook's attempts delivered at {@code since} or later, newest first. */
    public List<Attempt> since(Hook hook, Instant since) throws Unavailable {
        List<Attempt> attempts = new ArrayList<>();
        String url = api + hook.path() + "/deliveries?per_page=100";
        for (int page = 0; page < PAGES && url != null; page++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET(), "listing deliveries of hook " + hook);
            List<Attempt> listed;
            try {
                listed = mapper.readValue(response.body(), new TypeReference<List<Attempt>>() { });
            } catch (IOException e) {
                throw new Unavailable("GitHub's deliveries of hook " + hook + " are not the list expected: " + e.getMessage(), e);
            }
            for (Attempt attempt : listed) {
                if (attempt.deliveredAt() != null && attempt.deliveredAt().isBefore(since)) {
                    return attempts;
                }
                attempts.add(attempt);
            }
            Matcher next = NEXT.matcher(response.headers().firstValue("Link").orElse(""));
            url = next.find() && next.group(1).startsWith(api + "/") ? next.group(1) : null; // the token goes to GitHub only
        }
        return attempts;
    }

    /** Asks GitHub to deliver {@code attempt}'s delivery again. */
    public void redeliver(Hook hook, Attempt attempt) throws Unavailable {
        send(HttpRequest.newBuilder(URI.create(api + hook.path() + "/deliveries/" + attempt.id() + "/attempts"))
                .POST(HttpRequest.BodyPublishers.noBody()), "redelivering " + attempt.guid() + " of hook " + hook);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) throws Unavailable {
        String bearer;
        try {
            bearer = token.value().orElseThrow(() -> new Unavailable(what + ": gitops.github.token is not set", null));
        } catch (SecretUnavailable e) {
            throw new Unavailable(what + ": " + e.getMessage(), e);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28")
                    .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                String body = response.body() == null ? "" : response.body();
                throw new Unavailable(what + ": GitHub answered " + response.statusCode() + " "
                        + (body.length() > 200 ? body.substring(0, 200) + "…" : body), null);
            }
            return response;
        } catch (IOException e) {
            throw new Unavailable(what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(what + ": interrupted", e);
        }
    }
}
