package dev.gitops.changes;

import dev.gitops.routing.Environment;
import dev.gitops.routing.Routing;
import dev.gitops.secrets.Secret;
import dev.gitops.secrets.Secrets;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Git mirror and the change detector as beans. */
@Factory
public class ChangesFactory {
    @Singleton
    @Bean(preDestroy = "close")
    public GitMirror gitMirror(GitConfiguration git, Secrets secrets) {
        Secret token = secrets.of("gitops.git.token", git.getToken(), git.getTokenArn());
        return new GitMirror(Path.of(git.getCacheDir()).toAbsolutePath().normalize(), () -> token.value().orElse(null),
                git.getDepth());
    }

    @Singleton
    public ChangeDetector changeDetector(GitMirror mirror, Routing routing, GitConfiguration git) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (Environment environment : routing.environments()) {
            names.put(environment.name(), environment.directoryNames());
        }
        return new ChangeDetector(mirror, EnvironmentNames.of(names), git.getDetectionDeadline());
    }
}
