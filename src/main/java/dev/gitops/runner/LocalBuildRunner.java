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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * CodeBuild on this machine: checks the commit out of the controller's Git mirror (JGit) into a fresh work tree, runs
 * the buildspec's phases with bash, and reports phases, exported variables and the log, which stays under
 * {@code <data-dir>/builds/} for 30 days. The build's environment holds only what CodeBuild's would: PATH, HOME, locale, AWS and
 * Terraform settings, the project's variables and the request's overrides; never the controller's own secrets
 * ({@code GITOPS_*}).
 */
public final class LocalBuildRunner implements BuildRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBuildRunner.class);
    private static final Set<String> PASSED_THROUGH = Set.of("HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER");
    private static final Pattern PASSED_PREFIX = Pattern.compile("(AWS|TF|TOFU)_[A-Z0-9_]*");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

    private final GitMirror mirror;
    private final Path buildsDir;
    private final Map<String, String> projectEnvironment;
    private final String buildspecText;
    private final String path;
    private final Executor executor;

    /**
     * @param projectEnvironment variables the project sets for every build (PLAN_STORE, TF_BINARY)
     * @param buildspecText      the project's buildspec
     * @param path               PATH of the builds
     */
    public LocalBuildRunner(GitMirror mirror, Path buildsDir, Map<String, String> projectEnvironment, String buildspecText,
                            String path, Executor executor) {
        this.mirror = mirror;
        this.buildsDir = buildsDir;
        this.projectEnvironment = Map.copyOf(projectEnvironment);
        this.buildspecText = buildspecText;
        this.path = path;
        this.executor = executor;
        Buildspec.parse(buildspecText);
        forgetOldBuilds(buildsDir, KEEP_BUILDS);
    }

    /** Builds' logs are kept this long (the deployment records and execution histories stay). */
    static final java.time.Duration KEEP_BUILDS = java.time.Duration.ofDays(30);

    /** Deletes the directories of builds that ended longer ago than {@code keep}. */
    static void forgetOldBuilds(Path buildsDir, java.time.Duration keep) {
        java.time.Instant before = java.time.Instant.now().minus(keep);
        try (var builds = Files.list(buildsDir)) {
            builds.filter(Files::isDirectory).filter(dir -> {
                try {
                    return Files.getLastModifiedTime(dir).toInstant().isBefore(before);
                } catch (IOException e) {
                    return false;
                }
            }).forEach(LocalBuildRunner::deleteTree);
        } catch (java.nio.file.NoSuchFileException none) {
            // no build yet
        } catch (IOException e) {
            LOG.warn("could not look for old builds in \"{}\": {}", buildsDir, e.getMessage());
        }
    }

    @Override
    public CompletableFuture<Result> run(Request request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return build(request);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
    }

    private Result build(Request request) throws IOException {
        String uuid = request.id().substring(request.id().indexOf(':') + 1);
        Path dir = buildsDir.resolve(uuid);
        Path src = dir.resolve("src");
        Path log = dir.resolve("build.log");
        Files.createDirectories(src);
        List<Phase> phases = new ArrayList<>();
        try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            long start = System.currentTimeMillis();
            String problem = checkout(request, src, out);
            phases.add(new Phase("DOWNLOAD_SOURCE", problem == null ? "SUCCEEDED" : "FAILED",
                    System.currentTimeMillis() - start, problem));
            if (problem != null) {
                return new Result("FAILED", phases, Map.of(), log);
            }
        }
        Buildspec spec;
        try {
            spec = Buildspec.parse(request.buildspec() != null ? request.buildspec() : buildspecText);
        } catch (RuntimeException e) {
            Files.writeString(log, "[Container] YAML_FILE_ERROR: " + e.getMessage() + "\n", StandardOpenOption.APPEND);
            phases.add(new Phase("INSTALL", "FAILED", 0, "YAML_FILE_ERROR: " + e.getMessage()));
            return new Result("FAILED", phases, Map.of(), log);
        }
        Path script = dir.resolve("buildspec.sh");
        Path status = dir.resolve("phases");
        Path exports = dir.resolve("exports");
        Files.writeString(script, spec.script(dir), StandardCharsets.UTF_8);
        // setsid: the build is a process group of its own, so stopping it stops every command it started
        ProcessBuilder builder = new ProcessBuilder("setsid", "bash", script.toString(), status.toString(), exports.toString())
                .directory(src.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        Map<String, String> inherited = new LinkedHashMap<>(env);
        env.clear();
        inherited.forEach((name, value) -> {
            if (PASSED_THROUGH.contains(name) || PASSED_PREFIX.matcher(name).matches()) {
                env.put(name, value);
            }
        });
        env.put("PATH", path != null ? path : inherited.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        // CodeBuild's precedence: the request's overrides, then the project's variables, then the buildspec's
        env.putAll(spec.variables());
        env.putAll(projectEnvironment);
        env.putAll(request.environment());
        env.put("CODEBUILD_BUILD_ID", request.id());
        env.put("CODEBUILD_SRC_DIR", src.toString());
        env.put("CODEBUILD_RESOLVED_SOURCE_VERSION", request.sourceVersion() == null ? "" : request.sourceVersion());
        env.put("CODEBUILD_INITIATOR", "states/local");
        Process process = builder.start();
        request.cancelled().whenComplete((ignored, error) -> stop(process));
        String outcome;
        try {
            boolean ended = process.waitFor(Math.max(1, request.timeoutMinutes()), TimeUnit.MINUTES);
            if (!ended) {
                stop(process);
                outcome = "TIMED_OUT";
            } else if (request.cancelled().isDone()) {
                outcome = "STOPPED";
            } else {
                outcome = process.exitValue() == 0 ? "SUCCEEDED" : "FAILED";
            }
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            outcome = "STOPPED";
        }
        phases.addAll(readPhases(status, spec, outcome));
        Map<String, String> exported = readExports(exports);
        deleteTree(src);
        LOG.info("build \"{}\" of project \"{}\" at \"{}\": {} (log \"{}\")", request.id(), request.projectName(),
                request.sourceVersion(), outcome, log);
        return new Result(outcome, phases, exported, log);
    }

    /** Null when the source is in place, else what went wrong (also written to the log). */
    private String checkout(Request request, Path src, OutputStream log) throws IOException {
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
                    int files = writeTree(mirror.repository(repository), commit, src);
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

    private static int writeTree(Repository repository, ObjectId commitId, Path target) throws IOException {
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
                if (mode == FileMode.SYMLINK) {
                    continue; // never follow a repository's symlinks out of the work tree
                }
                if (mode == FileMode.GITLINK) {
                    continue;
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

    private static List<Phase> readPhases(Path status, Buildspec spec, String outcome) throws IOException {
        List<Phase> phases = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        if (Files.exists(status)) {
            for (String line : Files.readAllLines(status)) {
                String[] parts = line.split(" ");
                if (parts.length == 3) {
                    phases.add(new Phase(parts[0], parts[1], Long.parseLong(parts[2]), null));
                    seen.add(parts[0]);
                }
            }
        }
        if (!"SUCCEEDED".equals(outcome)) {
            // the phase that was running when the build stopped, timed out or exited from a command
            for (Buildspec.Phase phase : spec.phases()) {
                if (!seen.contains(phase.type()) && phases.stream().noneMatch(p -> "FAILED".equals(p.status()))) {
                    phases.add(new Phase(phase.type(), outcome.equals("FAILED") ? "FAILED" : outcome, 0, null));
                    break;
                }
            }
        }
        return phases;
    }

    private static Map<String, String> readExports(Path exports) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.exists(exports)) {
            return values;
        }
        String[] parts = Files.readString(exports, StandardCharsets.UTF_8).split("\0", -1);
        for (int i = 0; i + 1 < parts.length; i += 2) {
            values.put(parts[i], parts[i + 1]);
        }
        return values;
    }

    /** Kills the build's process group (bash first could leave a command it was starting behind). */
    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warn("could not kill the process group of build process {}: {}", process.pid(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete the work tree \"{}\": {}", dir, e.getMessage());
        }
    }
}
