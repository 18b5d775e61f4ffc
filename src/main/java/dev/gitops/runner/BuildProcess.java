package dev.gitops.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One build's bash, run as CodeBuild runs its container: a process group of its own (stopping it stops every command
 * it started), no input, its output appended to the build log, and an environment holding only what CodeBuild's would:
 * PATH, HOME, locale, AWS and Terraform settings (not the controller's AWS credentials where the environment has its
 * own), then the buildspec's, the project's and the request's variables; never the controller's own secrets
 * ({@code GITOPS_*} of the controller).
 */
final class BuildProcess {
    private static final Logger LOG = LoggerFactory.getLogger(BuildProcess.class);
    private static final Set<String> PASSED_THROUGH = Set.of("HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER");
    private static final Pattern PASSED_PREFIX = Pattern.compile("(AWS|TF|TOFU)_[A-Z0-9_]*");

    /** How a build ended: {@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT} or {@code STOPPED}. */
    enum Outcome { SUCCEEDED, FAILED, TIMED_OUT, STOPPED }

    private final String path;
    private final Map<String, String> controller;

    /** @param path the builds' PATH; null for the controller's own */
    BuildProcess(String path) {
        this(path, System.getenv());
    }

    /** @param controller the controller's own environment, from which a build inherits only what CodeBuild's would */
    BuildProcess(String path, Map<String, String> controller) {
        this.path = path;
        this.controller = Map.copyOf(controller);
    }

    /**
     * Runs {@code command} in {@code workDir} until it ends, times out or is cancelled.
     *
     * @param variables      the buildspec's, the project's and the request's variables, in that order of precedence
     * @param ownCredentials the environment has credentials of its own: the controller's AWS credentials are not passed
     */
    Outcome run(List<String> command, Path workDir, Path log, Map<String, String> variables, boolean ownCredentials,
                int timeoutMinutes, CompletableFuture<Void> cancelled) throws IOException {
        // setsid: the build is a process group of its own, so stopping it stops every command it started
        ProcessBuilder builder = new ProcessBuilder(prepend("setsid", command))
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.clear();
        controller.forEach((name, value) -> {
            boolean credential = LocalProjects.CREDENTIAL_VARIABLES.contains(name);
            if ((PASSED_THROUGH.contains(name) || PASSED_PREFIX.matcher(name).matches()) && !(credential && ownCredentials)) {
                env.put(name, value);
            }
        });
        env.put("PATH", path != null ? path : controller.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.putAll(variables);
        Process process = builder.start();
        cancelled.whenComplete((ignored, error) -> stop(process));
        try {
            boolean ended = process.waitFor(Math.max(1, timeoutMinutes), TimeUnit.MINUTES);
            if (!ended) {
                stop(process);
                return Outcome.TIMED_OUT;
            }
            if (cancelled.isDone()) {
                return Outcome.STOPPED;
            }
            return process.exitValue() == 0 ? Outcome.SUCCEEDED : Outcome.FAILED;
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            return Outcome.STOPPED;
        }
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
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
}
