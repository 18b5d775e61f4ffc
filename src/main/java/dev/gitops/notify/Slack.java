package dev.gitops.notify;

import dev.gitops.secrets.Secret;
import dev.gitops.secrets.SecretUnavailable;
import dev.gitops.secrets.Secrets;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;

/** Messages to Slack's incoming webhook ({@code gitops.slack.webhook-url}); without one, the log says them. */
@Singleton
public class Slack {
    private static final Logger LOG = LoggerFactory.getLogger(Slack.class);

    private final Secret webhook;
    private final Poster poster;

    Slack(SlackConfiguration config, Poster poster, Secrets secrets) {
        this.webhook = secrets.of("gitops.slack.webhook-url", config.getWebhookUrl(), config.getWebhookUrlArn());
        this.poster = poster;
    }

    /** @param fallback what the log says when Slack is not configured (a sentence with the link, if any) */
    public void post(SlackMessage message, String fallback) {
        if (!webhook.configured()) {
            LOG.info("slack (gitops.slack.webhook-url not set): {}", fallback);
            return;
        }
        String url;
        try {
            url = webhook.value().orElseThrow();
        } catch (SecretUnavailable e) {
            LOG.warn("slack message not sent ({}): {}", e.getMessage(), fallback);
            return;
        }
        poster.post(HttpRequest.newBuilder(URI.create(url)), message, "slack message (" + fallback + ")");
    }
}
