package dev.gitops.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * One build's files outside the controller's data directory ({@code <work-dir>/<build uuid>/}): {@code src/} (the
 * checkout), {@code home/} (the build user's home), {@code tmp/}, the script and its state. The work directory lets
 * other users through but not list it (mode 711), so a build reaches its own area and no other; with isolation
 * {@code users} the home belongs to the build's user. Deleted when the build ends.
 */
record BuildArea(Path dir) {
    Path src() {
        return dir.resolve("src");
    }

    Path home() {
        return dir.resolve("home");
    }

    Path tmp() {
        return dir.resolve("tmp");
    }

    /**
     * Creates the area of build {@code <project>:<uuid>} in {@code workDir}; {@code uid} (-1: nobody) and the
     * environment's group {@code gid} own its home.
     */
    static BuildArea create(Path workDir, String buildId, int uid, int gid) throws IOException {
        ensureWorkDir(workDir);
        BuildArea area = new BuildArea(workDir.resolve(buildId.substring(buildId.indexOf(':') + 1)));
        Files.createDirectories(area.dir());
        permissions(area.dir(), "rwx--x--x");
        Files.createDirectories(area.src());
        Files.createDirectories(area.home());
        Files.createDirectories(area.tmp());
        permissions(area.home(), "rwx------");
        permissions(area.tmp(), "rwx--x--x");
        if (uid >= 0) {
            Files.setAttribute(area.home(), "unix:uid", uid);
            Files.setAttribute(area.home(), "unix:gid", gid);
        }
        return area;
    }

    /** Hands the home's files (a copied AWS profile) to the build's user. */
    void giveHomeTo(int uid, int gid) throws IOException {
        if (uid < 0) {
            return;
        }
        try (Stream<Path> files = Files.walk(home())) {
            for (Path file : files.toList()) {
                Files.setAttribute(file, "unix:uid", uid);
                Files.setAttribute(file, "unix:gid", gid);
            }
        }
    }

    void delete() {
        BuildDirectories.delete(dir);
    }

    /** Removes what an earlier run left (a crash mid-build). */
    static void clean(Path workDir) {
        try (Stream<Path> areas = Files.list(workDir)) {
            areas.filter(Files::isDirectory).forEach(BuildDirectories::delete);
        } catch (IOException notYet) {
            // nothing to clean
        }
    }

    private static void ensureWorkDir(Path workDir) throws IOException {
        if (!Files.isDirectory(workDir)) {
            Files.createDirectories(workDir);
        }
        permissions(workDir, "rwx--x--x");
    }

    private static void permissions(Path path, String mode) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the permissions of " + path, e);
        }
    }
}
