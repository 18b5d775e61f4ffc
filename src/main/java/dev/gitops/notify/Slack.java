package dev.gitops.notify;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;

/** Messages to Slack's incoming webhook ({@code gitops.slack.webhook-url}); without one, the log says them. */
@Singleton
public class Slack {
    private static final Logger LOG = LoggerFactory.getLogger(Slack.class);

    private final String webhook;
    private final Poster poster;

    Slack(SlackConfiguration config, Poster poster) {
        this.webhook = config.getWebhookUrl();
        this.poster = poster;
    }

    /** @param fallback what the log says when Slack is not configured (a sentence with the link, if any) */
    public void post(SlackMessage message, String fallback) {
        if (webhook == null) {
            LOG.info("slack (gitops.slack.webhook-url not set): {}", fallback);
            return;
        }
        poster.post(HttpRequest.newBuilder(URI.create(webhook)), message, "slack message (" + fallback + ")");
    }
}
