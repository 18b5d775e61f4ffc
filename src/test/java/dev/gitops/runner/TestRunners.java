package dev.gitops.runner;

import dev.gitops.changes.GitMirror;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executor;

/** Local runners for tests, isolated as this machine allows (users when the tests run as root), areas under {@code dir}. */
public final class TestRunners {
    private TestRunners() {
    }

    public static LocalBuildRunner runner(GitMirror mirror, LocalProjects projects, Path dir, String buildspec, String path,
                                          Executor executor) {
        return runner(mirror, projects, dir, buildspec, path, executor, 4);
    }

    /** @param maxConcurrentBuilds how many builds run at once */
    public static LocalBuildRunner runner(GitMirror mirror, LocalProjects projects, Path dir, String buildspec, String path,
                                          Executor executor, int maxConcurrentBuilds) {
        return new LocalBuildRunner(mirror, projects, new LocalBuildRunner.Settings(dir.resolve("builds"),
                dir.resolve("work"), null, buildspec, path, Isolation.resolve(Isolation.Mode.AUTO), maxConcurrentBuilds,
                dir.resolve("sources")),
                executor, Clock.systemUTC());
    }
}
