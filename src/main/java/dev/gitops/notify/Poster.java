package dev.gitops.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.runtime.Background;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Posts to Slack and GitHub as {@link Background} work, retried: four attempts, the pause doubling from
 * {@code gitops.notifications.retry-backoff}, for 20 seconds at most. A post that cannot be made is logged and
 * dropped: an outage of either never fails the pipeline.
 */
@Singleton
class Poster {
    private static final Logger LOG = LoggerFactory.getLogger(Poster.class);
    private static final int ATTEMPTS = 4;
    static final Duration GIVE_UP_AFTER = Duration.ofSeconds(20);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Background background;
    private final Duration backoff;
    private final ObjectMapper mapper;

    Poster(Background background, NotificationsConfiguration config, ObjectMapper mapper) {
        this.background = background;
        this.backoff = config.getRetryBackoff();
        this.mapper = mapper;
    }

    /**
     * POSTs {@code body} as JSON.
     *
     * @param what the post, for the log ("status gitops/tst/app=pending on acme/infra@...")
     */
    void post(HttpRequest.Builder request, Object body, String what) {
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + what + " as JSON", e);
        }
        HttpRequest built = request.timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        background.run("posting " + what, () -> attempt(built, what));
    }

    private void attempt(HttpRequest request, String what) {
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        String last = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
                if (response.statusCode() / 100 == 4 && response.statusCode() != 429 && response.statusCode() != 403) {
                    break; // our request is wrong; repeating it will not help
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long pause = backoff.toMillis() << (attempt - 1);
            if (attempt == ATTEMPTS || System.nanoTime() + pause * 1_000_000 > deadline) {
                break;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("could not post {} to {}: {} (the pipeline goes on)", what, request.uri().getHost(), last);
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
