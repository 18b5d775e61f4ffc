package dev.gitops.runner;

import dev.gitops.changes.GitMirror;
import dev.gitops.engine.tasks.BuildRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * CodeBuild on this machine: the project named ({@link LocalProjects}: its environment's variables and credentials),
 * the commit checked out of the controller's Git mirror ({@link WorkTree}) into a {@link BuildArea} outside the data
 * directory, the buildspec's phases run with bash ({@link BuildProcess}) under the machine's {@link Isolation}, and
 * phases, exported variables and the log reported as CodeBuild's {@code Build}. At most
 * {@code gitops.runner.max-concurrent-builds} run at once; the others queue (phase {@code QUEUED}, and a line in their
 * log). The log stays under the builds directory for 30 days ({@link BuildDirectories}); the area goes when the build
 * ends.
 */
public final class LocalBuildRunner implements BuildRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBuildRunner.class);

    /**
     * How the runner runs builds.
     *
     * @param logsDir       where build logs are kept (in the data directory)
     * @param workDir       where build areas are made (outside it)
     * @param dataDir       the data directory, hidden from sandboxed builds; null when there is none to hide
     * @param buildspecText the projects' buildspec
     * @param path          PATH of the builds (null: the controller's)
     * @param sourcesDir    the local source store (source archives of S3-type builds), or null for none
     */
    public record Settings(Path logsDir, Path workDir, Path dataDir, String buildspecText, String path, Isolation isolation,
                           int maxConcurrentBuilds, Path sourcesDir) {
    }

    private final WorkTree workTree;
    private final BuildDirectories directories;
    private final BuildProcess process;
    private final LocalProjects projects;
    private final Settings settings;
    private final Executor executor;
    private final Semaphore slots;
    private final BuildUsers users = new BuildUsers();

    public LocalBuildRunner(GitMirror mirror, LocalProjects projects, Settings settings, Executor executor, Clock clock) {
        this.workTree = new WorkTree(mirror, settings.sourcesDir());
        this.directories = new BuildDirectories(settings.logsDir(), clock);
        this.process = new BuildProcess(settings.path());
        this.projects = projects;
        this.settings = settings;
        this.executor = executor;
        this.slots = new Semaphore(Math.max(1, settings.maxConcurrentBuilds()), true);
        Buildspec.parse(settings.buildspecText());
        directories.forgetOld();
        BuildArea.clean(settings.workDir());
    }

    @Override
    public CompletableFuture<Result> run(Request request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return build(request);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("build " + request.id() + " was interrupted while queued", e);
            }
        }, executor);
    }

    private Result build(Request request) throws IOException, InterruptedException {
        Path log = directories.of(request.id()).resolve("build.log");
        Files.createDirectories(log.getParent());
        List<Phase> phases = new ArrayList<>();
        LocalProjects.Project project = projects.named(request.projectName()).orElse(null);
        if (project == null) {
            try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                phases.add(new Phase("SUBMITTED", "FAILED", 0, noSuchProject(request.projectName(), out)));
            }
            return new Result("FAILED", phases, Map.of(), log);
        }
        long queuedAt = System.currentTimeMillis();
        if (!slots.tryAcquire()) {
            String line = "[Container] queued: " + settings.maxConcurrentBuilds() + " builds are running"
                    + " (gitops.runner.max-concurrent-builds)\n";
            Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            LOG.info("build \"{}\" of project \"{}\" queued: {} builds are running", request.id(), project.name(),
                    settings.maxConcurrentBuilds());
            if (!slots.tryAcquire(Math.max(1, request.timeoutMinutes()), TimeUnit.MINUTES)) {
                phases.add(new Phase("QUEUED", "TIMED_OUT", System.currentTimeMillis() - queuedAt, "queued too long"));
                return new Result("TIMED_OUT", phases, Map.of(), log);
            }
        }
        phases.add(new Phase("QUEUED", "SUCCEEDED", System.currentTimeMillis() - queuedAt, null));
        int uid = settings.isolation().mode() == Isolation.Mode.USERS ? users.reserve(project) : -1;
        BuildArea area = null;
        try {
            area = BuildArea.create(settings.workDir(), request.id(), uid, project.firstUid());
            return build(request, project, area, uid, log, phases);
        } finally {
            if (uid >= 0) {
                endEverythingOf(uid);
                users.release(uid);
            }
            if (area != null) {
                area.delete();
            }
            slots.release();
        }
    }

    private Result build(Request request, LocalProjects.Project project, BuildArea area, int uid, Path log,
                         List<Phase> phases) throws IOException {
        try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            long start = System.currentTimeMillis();
            String problem = workTree.checkout(request, area.src(), out);
            phases.add(new Phase("DOWNLOAD_SOURCE", problem == null ? "SUCCEEDED" : "FAILED",
                    System.currentTimeMillis() - start, problem));
            if (problem != null) {
                return new Result("FAILED", phases, Map.of(), log);
            }
        }
        Buildspec spec;
        try {
            spec = Buildspec.parse(request.buildspec() != null ? request.buildspec() : settings.buildspecText());
        } catch (RuntimeException e) {
            Files.writeString(log, "[Container] YAML_FILE_ERROR: " + e.getMessage() + "\n", StandardOpenOption.APPEND);
            phases.add(new Phase("INSTALL", "FAILED", 0, "YAML_FILE_ERROR: " + e.getMessage()));
            return new Result("FAILED", phases, Map.of(), log);
        }
        Path script = area.dir().resolve("buildspec.sh");
        Path status = area.dir().resolve("phases");
        Path exports = area.dir().resolve("exports");
        Files.writeString(script, spec.script(area.dir()), StandardCharsets.UTF_8);
        // CodeBuild's precedence: the request's overrides, then the project's variables, then the buildspec's
        Map<String, String> variables = new LinkedHashMap<>(spec.variables());
        variables.putAll(project.variables());
        variables.putAll(request.environment());
        variables.put("CODEBUILD_BUILD_ID", request.id());
        variables.put("CODEBUILD_SRC_DIR", area.src().toString());
        variables.put("CODEBUILD_RESOLVED_SOURCE_VERSION", request.sourceVersion() == null ? "" : request.sourceVersion());
        variables.put("CODEBUILD_INITIATOR", "states/local");
        variables.put("TMPDIR", area.tmp().toString());
        variables.put("TF_HOME", area.home().toString());
        variables.putAll(profile(project, area));
        if (uid >= 0) {
            variables.put("TF_RUN_AS", uid + ":" + project.firstUid());
            area.giveHomeTo(uid, project.firstUid());
        }
        List<String> command = new ArrayList<>(sandbox(project, area));
        command.addAll(List.of("bash", script.toString(), status.toString(), exports.toString()));
        BuildProcess.Outcome outcome = process.run(command, area.src(), log, variables, project.ownCredentials(),
                request.timeoutMinutes(), request.cancelled());
        phases.addAll(readPhases(status, spec, outcome));
        Map<String, String> exported = readExports(exports);
        LOG.info("build \"{}\" of project \"{}\" at \"{}\": {} (log \"{}\")", request.id(), request.projectName(),
                request.sourceVersion() != null ? request.sourceVersion() : request.environment().getOrDefault("GITOPS_SHA", "?"),
                outcome, log);
        return new Result(outcome.name(), phases, exported, log);
    }

    /**
     * The build's AWS profile copied into its home: the environment's {@code runner-env} profile, or for an environment
     * sharing the operator's credentials the operator's current one. Needed where the build cannot read the operator's
     * files (its own user, or a sandbox that hides the operator's home).
     */
    private Map<String, String> profile(LocalProjects.Project project, BuildArea area) throws IOException {
        if (settings.isolation().mode() == Isolation.Mode.NONE) {
            return Map.of();
        }
        String profile = project.variables().get("AWS_PROFILE");
        if (profile != null) {
            return AwsProfiles.copy(profile, System.getenv(), area.home(), true);
        }
        if (project.ownCredentials()) {
            return Map.of();
        }
        String operators = System.getenv("AWS_PROFILE");
        return AwsProfiles.copy(operators != null ? operators : "default", System.getenv(), area.home(), operators != null);
    }

    /** The command that puts the build in its sandbox (isolation {@code bubblewrap}); empty otherwise. */
    private List<String> sandbox(LocalProjects.Project project, BuildArea area) {
        if (settings.isolation().mode() != Isolation.Mode.BUBBLEWRAP) {
            return List.of();
        }
        List<String> bwrap = new ArrayList<>(List.of("bwrap", "--die-with-parent", "--unshare-pid", "--unshare-ipc",
                "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"));
        String home = System.getProperty("user.home");
        if (home != null && !home.equals("/")) {
            bwrap.addAll(List.of("--tmpfs", home));
        }
        if (settings.dataDir() != null) {
            bwrap.addAll(List.of("--tmpfs", settings.dataDir().toString()));
        }
        bwrap.addAll(List.of("--tmpfs", settings.workDir().toString(), "--bind", area.dir().toString(), area.dir().toString()));
        String store = project.variables().get("PLAN_STORE");
        if (store != null && !store.startsWith("s3://")) {
            try {
                Files.createDirectories(Path.of(store));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the plan store " + store, e);
            }
            bwrap.addAll(List.of("--bind", store, store));
        }
        return bwrap;
    }

    /** Ends every process of a build's user (what escaped its process group), until none is left. */
    private static void endEverythingOf(int uid) {
        try {
            for (int i = 0; i < 100; i++) {
                Process kill = new ProcessBuilder("pkill", "-KILL", "-U", Integer.toString(uid))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                    return; // nothing left (exit 1), or pkill itself did not answer
                }
                Thread.sleep(20);
            }
            LOG.warn("processes of build user {} kept coming back after 100 rounds of pkill", uid);
        } catch (IOException e) {
            LOG.warn("could not end the processes of build user {}: {}", uid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String noSuchProject(String name, OutputStream log) throws IOException {
        String problem = "there is no build project named '" + name + "' (local mode has " + String.join(", ", projects.names())
                + ": a plan and an apply project per configured environment)";
        log.write(("[Container] CLIENT_ERROR: " + problem + "\n").getBytes(StandardCharsets.UTF_8));
        return problem;
    }

    private static List<Phase> readPhases(Path status, Buildspec spec, BuildProcess.Outcome outcome) throws IOException {
        List<Phase> phases = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (Files.exists(status)) {
            for (String line : Files.readAllLines(status)) {
                String[] parts = line.split(" ");
                if (parts.length == 3) {
                    phases.add(new Phase(parts[0], parts[1], Long.parseLong(parts[2]), null));
                    seen.add(parts[0]);
                }
            }
        }
        if (outcome != BuildProcess.Outcome.SUCCEEDED) {
            // the phase that was running when the build stopped, timed out or exited from a command
            for (Buildspec.Phase phase : spec.phases()) {
                if (!seen.contains(phase.type()) && phases.stream().noneMatch(p -> "FAILED".equals(p.status()))) {
                    phases.add(new Phase(phase.type(), outcome.name(), 0, null));
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
}
