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

/**
 * CodeBuild on this machine: the project named ({@link LocalProjects}: its environment's variables and credentials),
 * the commit checked out of the controller's Git mirror ({@link WorkTree}), the buildspec's phases run with bash
 * ({@link BuildProcess}), and phases, exported variables and the log reported as CodeBuild's {@code Build}; the log
 * stays under the builds directory for 30 days ({@link BuildDirectories}).
 */
public final class LocalBuildRunner implements BuildRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBuildRunner.class);

    private final WorkTree workTree;
    private final BuildDirectories directories;
    private final BuildProcess process;
    private final LocalProjects projects;
    private final String buildspecText;
    private final Executor executor;

    /**
     * @param projects      the build projects: their variables and credentials
     * @param buildspecText the projects' buildspec
     * @param path          PATH of the builds
     */
    public LocalBuildRunner(GitMirror mirror, Path buildsDir, LocalProjects projects, String buildspecText,
                            String path, Executor executor) {
        this(mirror, buildsDir, projects, buildspecText, path, executor, Clock.systemUTC());
    }

    public LocalBuildRunner(GitMirror mirror, Path buildsDir, LocalProjects projects, String buildspecText,
                            String path, Executor executor, Clock clock) {
        this.workTree = new WorkTree(mirror);
        this.directories = new BuildDirectories(buildsDir, clock);
        this.process = new BuildProcess(path);
        this.projects = projects;
        this.buildspecText = buildspecText;
        this.executor = executor;
        Buildspec.parse(buildspecText);
        directories.forgetOld();
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
        Path dir = directories.of(request.id());
        Path src = dir.resolve("src");
        Path log = dir.resolve("build.log");
        Files.createDirectories(src);
        List<Phase> phases = new ArrayList<>();
        LocalProjects.Project project = projects.named(request.projectName()).orElse(null);
        try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            long start = System.currentTimeMillis();
            String problem = project == null ? noSuchProject(request.projectName(), out) : workTree.checkout(request, src, out);
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
        // CodeBuild's precedence: the request's overrides, then the project's variables, then the buildspec's
        Map<String, String> variables = new LinkedHashMap<>(spec.variables());
        variables.putAll(project.variables());
        variables.putAll(request.environment());
        variables.put("CODEBUILD_BUILD_ID", request.id());
        variables.put("CODEBUILD_SRC_DIR", src.toString());
        variables.put("CODEBUILD_RESOLVED_SOURCE_VERSION", request.sourceVersion() == null ? "" : request.sourceVersion());
        variables.put("CODEBUILD_INITIATOR", "states/local");
        BuildProcess.Outcome outcome = process.run(List.of("bash", script.toString(), status.toString(), exports.toString()),
                src, log, variables, project.ownCredentials(), request.timeoutMinutes(), request.cancelled());
        phases.addAll(readPhases(status, spec, outcome));
        Map<String, String> exported = readExports(exports);
        BuildDirectories.delete(src);
        LOG.info("build \"{}\" of project \"{}\" at \"{}\": {} (log \"{}\")", request.id(), request.projectName(),
                request.sourceVersion(), outcome, log);
        return new Result(outcome.name(), phases, exported, log);
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
