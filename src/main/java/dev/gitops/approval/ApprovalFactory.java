package dev.gitops.approval;

import dev.gitops.local.LocalConfiguration;
import dev.gitops.local.LocalWebhookSecret;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Signed links and notifications as beans. */
@Factory
public class ApprovalFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalFactory.class);

    /**
     * Links signed with {@code gitops.approval.link-secret}; locally, when it is unset, with a secret generated once
     * into {@code <data-dir>/approval-link-secret} (links then survive restarts too).
     */
    @Singleton
    public ApprovalLinks approvalLinks(ApprovalConfiguration config, Environment environment, LocalConfiguration local,
                                       @Nullable @Value("${gitops.public-url:}") String publicUrl,
                                       @Value("${micronaut.server.port:8080}") int port) {
        String secret = config.getLinkSecret();
        boolean localMode = local.isEnabled() && !environment.getActiveNames().contains(Environment.FUNCTION);
        if (publicUrl == null || publicUrl.isBlank()) {
            if (!localMode) {
                throw new IllegalStateException("gitops.public-url (GITOPS_PUBLIC_URL) must be set: approval links and the"
                        + " page's Origin check are made from it");
            }
            publicUrl = "http://127.0.0.1:" + port; // local mode: the controller's own address
        }
        if ((secret == null || secret.isBlank()) && localMode) {
            Path file = local.dataPath().resolve("approval-link-secret");
            secret = LocalWebhookSecret.readOrCreate(file);
            LOG.info("approval links: GITOPS_APPROVAL_LINK_SECRET is not set, signing with the secret in \"{}\"", file);
        }
        return new ApprovalLinks(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8), publicUrl);
    }

    @Singleton
    @Bean(preDestroy = "close")
    public Notifications notifications(@Nullable @Value("${gitops.slack.webhook-url:}") String slackWebhook,
                                       @Nullable @Value("${gitops.github.api-url:}") String githubApi,
                                       @Nullable @Value("${gitops.github.token:}") String githubToken,
                                       @Value("${gitops.notifications.retry-backoff:1000}") long backoffMillis,
                                       Environment environment) {
        boolean lambda = environment.getActiveNames().contains(Environment.FUNCTION);
        // in Lambda: wait for each post (shorter pauses), since the process freezes when the handler returns
        return new Notifications(slackWebhook, githubApi, githubToken, lambda ? Math.min(backoffMillis, 250) : backoffMillis, lambda);
    }
}
