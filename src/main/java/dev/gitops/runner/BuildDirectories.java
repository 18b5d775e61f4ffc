package dev.gitops.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where builds keep their files, one directory per build ({@code <builds>/<build uuid>/}: {@code src/}, the script,
 * {@code build.log}), and their upkeep: a build's directory is forgotten {@link #KEEP} after it was last written.
 */
final class BuildDirectories {
    private static final Logger LOG = LoggerFactory.getLogger(BuildDirectories.class);
    /** Builds' logs are kept this long (the deployment records and execution histories stay). */
    static final Duration KEEP = Duration.ofDays(30);

    private final Path root;
    private final Clock clock;

    BuildDirectories(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /** The directory of build {@code <project>:<uuid>}. */
    Path of(String buildId) {
        return root.resolve(buildId.substring(buildId.indexOf(':') + 1));
    }

    /** Deletes the directories of builds that ended longer ago than {@link #KEEP}. */
    void forgetOld() {
        Instant before = clock.instant().minus(KEEP);
        try (Stream<Path> builds = Files.list(root)) {
            builds.filter(Files::isDirectory).filter(dir -> {
                try {
                    return Files.getLastModifiedTime(dir).toInstant().isBefore(before);
                } catch (IOException e) {
                    return false;
                }
            }).forEach(BuildDirectories::delete);
        } catch (NoSuchFileException none) {
            // no build yet
        } catch (IOException e) {
            LOG.warn("could not look for old builds in \"{}\": {}", root, e.getMessage());
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete \"{}\": {}", dir, e.getMessage());
        }
    }
}
