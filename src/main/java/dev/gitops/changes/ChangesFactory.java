package dev.gitops.changes;

import dev.gitops.routing.Routing;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/** The Git mirror and the change detector as beans. */
@Factory
public class ChangesFactory {
    @Singleton
    @Bean(preDestroy = "close")
    public GitMirror gitMirror(GitConfiguration git) {
        return new GitMirror(Path.of(git.getCacheDir()).toAbsolutePath().normalize(), git.getToken());
    }

    @Singleton
    public ChangeDetector changeDetector(GitMirror mirror, Routing routing) {
        return new ChangeDetector(mirror, routing.names());
    }
}
