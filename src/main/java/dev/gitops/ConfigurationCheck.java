package dev.gitops;

import dev.gitops.approval.ApprovalConfiguration;
import dev.gitops.aws.AwsConfiguration;
import dev.gitops.changes.GitConfiguration;
import dev.gitops.drift.DriftConfiguration;
import dev.gitops.drift.DriftSchedule;
import dev.gitops.http.HttpConfiguration;
import dev.gitops.lock.LockConfiguration;
import dev.gitops.notify.GithubConfiguration;
import dev.gitops.notify.GithubDeliveries;
import dev.gitops.notify.NotificationsConfiguration;
import dev.gitops.notify.SlackConfiguration;
import dev.gitops.pipeline.PipelineConfiguration;
import dev.gitops.pipeline.SourcesConfiguration;
import dev.gitops.routing.Routing;
import dev.gitops.webhook.HandoffConfiguration;
import dev.gitops.webhook.IntakeConfiguration;
import dev.gitops.webhook.ReconcilerConfiguration;
import dev.gitops.webhook.WebhookConfiguration;
import io.micronaut.context.annotation.Context;

/**
 * Reads and validates every setting when the controller starts (locally and at a Lambda function's init), so that a
 * wrong value stops it with a message naming the key, rather than failing the first request that needs it.
 */
@Context
class ConfigurationCheck {
    @SuppressWarnings("unused")
    ConfigurationCheck(WebhookConfiguration webhook, IntakeConfiguration intake, Routing routing, GitConfiguration git,
                       HttpConfiguration http, ApprovalConfiguration approval, SlackConfiguration slack,
                       GithubConfiguration github, NotificationsConfiguration notifications, AwsConfiguration aws,
                       PipelineConfiguration pipeline, LockConfiguration lock, DriftConfiguration drift,
                       HandoffConfiguration handoff, ReconcilerConfiguration reconciler, SourcesConfiguration sources) {
        DriftSchedule.parse(drift.getSchedule());
        reconciler.getHooks().forEach(GithubDeliveries.Hook::parse);
    }
}
