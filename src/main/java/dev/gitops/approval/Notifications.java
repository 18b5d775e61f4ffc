package dev.gitops.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Posts to Slack's incoming webhook ({@code gitops.slack.webhook-url}) and GitHub's commit status API
 * ({@code gitops.github.api-url}, {@code gitops.github.token}), off the caller's thread, retried (4 attempts, 1, 2, 4 s
 * apart) and logged. An outage of either never fails the pipeline: a post that cannot be made is logged and dropped.
 * Unconfigured, a post is only logged.
 */
public final class Notifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ATTEMPTS = 4;

    private final String slackWebhook;
    private final String githubApi;
    private final String githubToken;
    private final long backoffMillis;
    private final boolean wait;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "notifications");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param wait whether a post completes before the caller goes on: in Lambda, where the process freezes once the
     *             handler returns, a post left to a background thread may never be made
     */
    public Notifications(String slackWebhook, String githubApi, String githubToken, long backoffMillis, boolean wait) {
        this.wait = wait;
        this.slackWebhook = blank(slackWebhook) ? null : slackWebhook;
        this.githubApi = blank(githubApi) ? "https://api.github.com" : githubApi.replaceAll("/+$", "");
        this.githubToken = blank(githubToken) ? null : githubToken;
        this.backoffMillis = backoffMillis;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The commit status context of a stack in an environment: {@code gitops/<env>/<stack>}. */
    public static String context(String environment, String stack) {
        return "gitops/" + environment + "/" + stack;
    }

    /** Posts a Slack message (Block Kit JSON); {@code fallback} is what the log says when Slack is not configured. */
    public CompletableFuture<Boolean> slack(ObjectNode message, String fallback) {
        if (slackWebhook == null) {
            LOG.info("slack (gitops.slack.webhook-url not set): {}", fallback);
            return CompletableFuture.completedFuture(false);
        }
        message.put("unfurl_links", false).put("unfurl_media", false);
        HttpRequest request = HttpRequest.newBuilder(URI.create(slackWebhook)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(message.toString())).build();
        return send(request, "slack message (" + fallback + ")");
    }

    /**
     * Sets the commit status {@code context} on {@code sha}.
     *
     * @param state {@code pending}, {@code success}, {@code failure} or {@code error}
     */
    public CompletableFuture<Boolean> status(String repository, String sha, String context, String state, String description,
                                            String targetUrl) {
        ObjectNode body = MAPPER.createObjectNode().put("state", state).put("context", context)
                .put("description", description.length() > 140 ? description.substring(0, 139) + "…" : description);
        if (targetUrl != null) {
            body.put("target_url", targetUrl);
        }
        if (githubToken == null) {
            LOG.info("github status (gitops.github.token not set): {} {} {}: {} {}", repository, sha, context, state, description);
            return CompletableFuture.completedFuture(false);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(githubApi + "/repos/" + repository + "/statuses/" + sha))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/vnd.github+json")
                .header("Authorization", "Bearer " + githubToken)
                .header("X-GitHub-Api-Version", "2022-11-28")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return send(request, "status " + context + "=" + state + " on " + repository + "@" + sha);
    }

    private CompletableFuture<Boolean> send(HttpRequest request, String what) {
        CompletableFuture<Boolean> sent = post(request, what);
        if (wait) {
            try {
                sent.get(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warn("gave up waiting for {}: {}", what, e.toString());
            }
        }
        return sent;
    }

    private CompletableFuture<Boolean> post(HttpRequest request, String what) {
        return CompletableFuture.supplyAsync(() -> {
            String last = "";
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() / 100 == 2) {
                        return true;
                    }
                    last = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
                    if (response.statusCode() / 100 == 4 && response.statusCode() != 429 && response.statusCode() != 403) {
                        break; // our request is wrong; repeating it will not help
                    }
                } catch (java.io.IOException e) {
                    last = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                if (attempt < ATTEMPTS) {
                    sleep(backoffMillis << (attempt - 1));
                }
            }
            LOG.warn("could not post {} to {}: {} (the pipeline goes on)", what, request.uri().getHost(), last);
            return false;
        }, executor);
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
