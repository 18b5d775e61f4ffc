package dev.gitops.notify;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API as the controller calls it at once (not as background posts): {@code gitops.github.api-url} with
 * {@code gitops.github.token}, GitHub's headers, a few attempts (the pause doubling from
 * {@code gitops.notifications.retry-backoff}, 20 seconds at most, as posts do) unless GitHub refused the request, and
 * lists paged by the {@code Link} header, followed only on GitHub's own host (the token goes nowhere else).
 */
@Singleton
public class GithubApi {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private static final int ATTEMPTS = 3;

    /** GitHub refused or could not be reached: a sentence saying which call and why. */
    public static class Unavailable extends Exception {
        private final int status;

        Unavailable(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** GitHub's answer (404: the thing is gone), or 0 when none came. */
        public int status() {
            return status;
        }
    }

    /** One page of a list: its items and the next page's URL, or null on the last. */
    public record Page<T>(List<T> items, String next) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;
    private final Secret token;
    private final ObjectMapper mapper;
    private final Duration backoff;

    GithubApi(GithubConfiguration config, GithubToken token, ObjectMapper mapper, NotificationsConfiguration notifications) {
        this.api = config.getApiUrl();
        this.token = token.secret();
        this.mapper = mapper;
        this.backoff = notifications.getRetryBackoff();
    }

    /** Whether a token is configured (without one, nothing can be asked). */
    public boolean configured() {
        return token.configured();
    }

    /** The URL of {@code path} ({@code /repos/...}) on the API. */
    public String url(String path) {
        return api + path;
    }

    /** One page of a list at {@code url} (from {@link #url} or a previous page's {@code next}). */
    public <T> Page<T> page(String url, TypeReference<List<T>> type, String what) throws Unavailable {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET(), what);
        try {
            List<T> items = mapper.readValue(response.body(), type);
            Matcher next = NEXT.matcher(response.headers().firstValue("Link").orElse(""));
            return new Page<>(items, next.find() && next.group(1).startsWith(api + "/") ? next.group(1) : null);
        } catch (IOException e) {
            throw new Unavailable(what + ": GitHub's answer is not the list expected: " + e.getMessage(), 0, e);
        }
    }

    /** {@code body} as the JSON body of a request. */
    public HttpRequest.BodyPublisher json(Object body) throws Unavailable {
        try {
            return HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body));
        } catch (IOException e) {
            throw new Unavailable("cannot write a request to GitHub as JSON", 0, e);
        }
    }

    /** Reads GitHub's JSON answer as {@code type}. */
    public <T> T read(HttpResponse<String> response, Class<T> type, String what) throws Unavailable {
        try {
            return mapper.readValue(response.body(), type);
        } catch (IOException e) {
            throw new Unavailable(what + ": GitHub's answer is not the one expected: " + e.getMessage(), 0, e);
        }
    }

    /**
     * Sends the request with the token and GitHub's headers; its 2xx answer.
     *
     * @param what the call, for sentences ("listing the comments of acme/infra#7")
     */
    public HttpResponse<String> send(HttpRequest.Builder request, String what) throws Unavailable {
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
        long deadline = System.nanoTime() + Poster.GIVE_UP_AFTER.toNanos();
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
                    throw last; // the request is wrong (or its object gone): asking again will not help
                }
            } catch (IOException e) {
                last = new Unavailable(what + ": " + e, 0, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable(what + ": interrupted", 0, e);
            }
            long pause = backoff.toMillis() << (attempt - 1);
            if (attempt == ATTEMPTS || System.nanoTime() + pause * 1_000_000 >= deadline) {
                break;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw last;
    }
}
