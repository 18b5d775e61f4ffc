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
                                       @Value("${gitops.public-url:`http://127.0.0.1:8080`}") String publicUrl) {
        String secret = config.getLinkSecret();
        boolean localMode = local.isEnabled() && !environment.getActiveNames().contains(Environment.FUNCTION);
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
                                       @Value("${gitops.notifications.retry-backoff:1000}") long backoffMillis) {
        return new Notifications(slackWebhook, githubApi, githubToken, backoffMillis);
    }
}
