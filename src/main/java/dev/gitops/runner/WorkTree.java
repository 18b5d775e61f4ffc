package dev.gitops.runner;

import dev.gitops.changes.GitMirror;
import dev.gitops.engine.tasks.BuildRunner;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A build's source, put into a fresh directory as CodeBuild's DOWNLOAD_SOURCE phase does: the source archive the
 * controller kept for the commit ({@code SourceTypeOverride: S3}, the pipeline's way: the file under the local source
 * store that {@code SourceLocationOverride} names, unpacked once its sha256 is {@code SOURCE_SHA256}), or the commit
 * ({@code SourceVersion}) of the repository ({@code GITOPS_REPOSITORY}) checked out of the controller's Git mirror.
 * Symlinks and submodules are left out: nothing in a work tree points outside it.
 */
final class WorkTree {
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

    private final GitMirror mirror;
    private final Path sources;

    /** @param sources the local source store's root: the only place archives are read from */
    WorkTree(GitMirror mirror, Path sources) {
        this.mirror = mirror;
        this.sources = sources == null ? null : sources.toAbsolutePath().normalize();
    }

    /** Puts the request's source into {@code src}; null when it is in place, else what went wrong (also logged). */
    String checkout(BuildRunner.Request request, Path src, OutputStream log) throws IOException {
        if ("S3".equals(request.sourceType())) {
            String problem = SourceZip.unpack(sources, request.sourceLocation(), request.environment().get("SOURCE_SHA256"),
                    src, log);
            if (problem != null) {
                log.write(("[Container] CLIENT_ERROR: " + problem + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return problem;
        }
        String repository = request.environment().get("GITOPS_REPOSITORY");
        String problem = null;
        if (request.sourceVersion() == null || !ObjectId.isId(request.sourceVersion())) {
            problem = "SourceVersion must be a commit id (it is '" + request.sourceVersion() + "')";
        } else if (request.sourceLocation() == null) {
            problem = "SourceLocationOverride (the clone URL) is required by the local runner";
        } else if (repository == null || !REPOSITORY.matcher(repository).matches()) {
            problem = "the GITOPS_REPOSITORY variable (owner/repo) is required by the local runner";
        }
        if (problem == null) {
            ObjectId commit = ObjectId.fromString(request.sourceVersion());
            try {
                List<ObjectId> missing = mirror.fetch(repository, request.sourceLocation(), List.of(), List.of(commit));
                if (!missing.isEmpty()) {
                    problem = "commit " + commit.name() + " is not in " + GitMirror.redactUrl(request.sourceLocation());
                } else {
                    int files = write(mirror.repository(repository), commit, src);
                    log.write(("[Container] " + String.format(Locale.ROOT, "checked out %s of %s (%d files)%n",
                            commit.name(), repository, files)).getBytes(StandardCharsets.UTF_8));
                }
            } catch (GitMirror.FetchFailed e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            log.write(("[Container] CLIENT_ERROR: " + problem + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return problem;
    }

    private static int write(Repository repository, ObjectId commitId, Path target) throws IOException {
        int files = 0;
        try (RevWalk walk = new RevWalk(repository); ObjectReader reader = repository.newObjectReader();
             TreeWalk tree = new TreeWalk(repository, reader)) {
            RevCommit commit = walk.parseCommit(commitId);
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                Path file = target.resolve(tree.getPathString()).normalize();
                if (!file.startsWith(target)) {
                    continue;
                }
                Files.createDirectories(file.getParent());
                if (mode == FileMode.SYMLINK || mode == FileMode.GITLINK) {
                    continue; // never follow a repository's symlinks out of the work tree
                }
                try (OutputStream out = Files.newOutputStream(file)) {
                    reader.open(tree.getObjectId(0)).copyTo(out);
                }
                if (mode == FileMode.EXECUTABLE_FILE) {
                    Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
                    permissions.add(PosixFilePermission.OWNER_EXECUTE);
                    Files.setPosixFilePermissions(file, permissions);
                }
                files++;
            }
        }
        return files;
    }
}
