package dev.gitops.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pull request's comments through GitHub's issues API, with {@code gitops.github.token} (it needs to write pull
 * requests' comments: {@code repo}, or a fine-grained token with pull requests: write): find the one carrying a marker
 * ({@code GET /repos/{owner}/{repo}/issues/{number}/comments}, paged by the {@code Link} header), create one
 * ({@code POST} there), edit one ({@code PATCH /repos/{owner}/{repo}/issues/comments/{id}}). Calls are made at once and
 * retried (the pause doubling from {@code gitops.notifications.retry-backoff}); the caller runs them as background work.
 */
@Singleton
public class GithubComments {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private static final int PAGES = 30;
    private static final int ATTEMPTS = 3;
    /** One call, all its attempts together, gives up after this (as posts to Slack and GitHub do). */
    static final Duration GIVE_UP_AFTER = Poster.GIVE_UP_AFTER;

    /** A comment as GitHub lists it (the parts used here). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Comment(long id, String body) {
    }

    /** GitHub refused or could not be reached: a sentence saying which call and why. */
    public static class Unavailable extends Exception {
        private final int status;

        Unavailable(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** GitHub's answer (404: the comment is gone), or 0 when none came. */
        public int status() {
            return status;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;
    private final Secret token;
    private final ObjectMapper mapper;
    private final Duration backoff;

    GithubComments(GithubConfiguration config, GithubToken token, ObjectMapper mapper, NotificationsConfiguration notifications) {
        this.api = config.getApiUrl();
        this.token = token.secret();
        this.mapper = mapper;
        this.backoff = notifications.getRetryBackoff();
    }

    /** Whether a token is configured. */
    public boolean configured() {
        return token.configured();
    }

    /** The first comment of the pull request whose body contains {@code marker}. */
    public Optional<Comment> find(String repository, int number, String marker) throws Unavailable {
        String url = api + "/repos/" + repository + "/issues/" + number + "/comments?per_page=100";
        for (int page = 0; page < PAGES && url != null; page++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET(),
                    "listing the comments of " + repository + "#" + number);
            List<Comment> comments;
            try {
                comments = mapper.readValue(response.body(), new TypeReference<List<Comment>>() { });
            } catch (IOException e) {
                throw new Unavailable("the comments of " + repository + "#" + number + " are not the list expected: "
                        + e.getMessage(), 0, e);
            }
            for (Comment comment : comments) {
                if (comment.body() != null && comment.body().contains(marker)) {
                    return Optional.of(comment);
                }
            }
            Matcher next = NEXT.matcher(response.headers().firstValue("Link").orElse(""));
            url = next.find() ? next.group(1) : null;
        }
        return Optional.empty();
    }

    /** Creates a comment; its id. */
    public long create(String repository, int number, String body) throws Unavailable {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api + "/repos/" + repository + "/issues/"
                + number + "/comments")).POST(json(body)), "commenting on " + repository + "#" + number);
        try {
            return mapper.readValue(response.body(), Comment.class).id();
        } catch (IOException e) {
            throw new Unavailable("GitHub's answer to a new comment on " + repository + "#" + number + " has no id", 0, e);
        }
    }

    /** Replaces comment {@code id}'s body. */
    public void edit(String repository, long id, String body) throws Unavailable {
        send(HttpRequest.newBuilder(URI.create(api + "/repos/" + repository + "/issues/comments/" + id))
                .method("PATCH", json(body)), "editing comment " + id + " of " + repository);
    }

    private HttpRequest.BodyPublisher json(String body) throws Unavailable {
        try {
            return HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(Map.of("body", body)));
        } catch (IOException e) {
            throw new Unavailable("cannot write a comment as JSON", 0, e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) throws Unavailable {
        String bearer;
        try {
            bearer = token.value().orElseThrow(() -> new Unavailable(what + ": gitops.github.token is not set", 0, null));
        } catch (SecretUnavailable e) {
            throw new Unavailable(what + ": " + e.getMessage(), 0, e);
        }
        HttpRequest built = request.timeout(Duration.ofSeconds(10)).header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer).build();
        Unavailable last = null;
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return response;
                }
                String body = response.body() == null ? "" : response.body();
                last = new Unavailable(what + ": GitHub answered " + response.statusCode() + " "
                        + (body.length() > 200 ? body.substring(0, 200) + "…" : body), response.statusCode(), null);
                if (response.statusCode() / 100 == 4 && response.statusCode() != 429) {
                    throw last; // the request is wrong (or the comment gone): asking again will not help
                }
            } catch (IOException e) {
                last = new Unavailable(what + ": " + e, 0, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable(what + ": interrupted", 0, e);
            }
            long pause = backoff.toMillis() << (attempt - 1);
            if (attempt < ATTEMPTS && System.nanoTime() + pause * 1_000_000 < deadline) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw last;
                }
            } else {
                break;
            }
        }
        throw last;
    }
}
