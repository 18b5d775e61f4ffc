package dev.gitops.engine.tasks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one build for {@link CodeBuildTaskHandler}: what CodeBuild does with a StartBuild request, on this machine. The
 * engine only shapes the request and the {@code Build} object; checking out sources and running the buildspec belong
 * to the implementation.
 */
public interface BuildRunner {
    /**
     * One StartBuild request.
     *
     * @param id            the build id ({@code <project>:<uuid>})
     * @param sourceVersion {@code SourceVersion} (a commit), or null
     * @param sourceLocation {@code SourceLocationOverride} (a clone URL, or an archive's location for S3), or null
     * @param environment   {@code EnvironmentVariablesOverride}, in order
     * @param buildspec     {@code BuildspecOverride}, or null for the project's own
     * @param cancelled     completed when Step Functions gives up on the task (timeout, StopExecution)
     * @param sourceType    {@code SourceTypeOverride} ({@code S3}, {@code GITHUB}, ...), or null for the project's own
     */
    record Request(String id, String projectName, String sourceVersion, String sourceLocation,
                   Map<String, String> environment, String buildspec, int timeoutMinutes,
                   CompletableFuture<Void> cancelled, String sourceType) {
        /** A request that leaves the source type to the project. */
        public Request(String id, String projectName, String sourceVersion, String sourceLocation,
                       Map<String, String> environment, String buildspec, int timeoutMinutes,
                       CompletableFuture<Void> cancelled) {
            this(id, projectName, sourceVersion, sourceLocation, environment, buildspec, timeoutMinutes, cancelled, null);
        }
    }

    /** A phase as CodeBuild reports it: {@code INSTALL}, {@code PRE_BUILD}, {@code BUILD}, {@code POST_BUILD}. */
    record Phase(String type, String status, long durationMillis, String message) {
    }

    /**
     * The end of a build.
     *
     * @param status   {@code SUCCEEDED}, {@code FAILED}, {@code FAULT}, {@code TIMED_OUT} or {@code STOPPED}
     * @param exported the buildspec's {@code exported-variables} with their final values
     * @param log      the build's log file
     */
    record Result(String status, List<Phase> phases, Map<String, String> exported, Path log) {
    }

    /** Runs the build; completes when it ends (never exceptionally for a failed build: that is a Result too). */
    CompletableFuture<Result> run(Request request);
}
