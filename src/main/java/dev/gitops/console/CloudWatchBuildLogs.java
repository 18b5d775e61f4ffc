package dev.gitops.console;

import io.micronaut.context.annotation.Secondary;
import io.micronaut.context.annotation.Prototype;

import java.util.Optional;

/** Builds run by CodeBuild: their log is in CloudWatch Logs, where the build's {@code DeepLink} leads. */
@Prototype
@Secondary
class CloudWatchBuildLogs implements BuildLogs {
    @Override
    public Optional<String> link(String base, String buildId, String deepLink) {
        return deepLink != null && deepLink.startsWith("https://") ? Optional.of(deepLink) : Optional.empty();
    }

    @Override
    public Optional<Tail> tail(String key) {
        return Optional.empty();
    }
}
