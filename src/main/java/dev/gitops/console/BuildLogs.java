package dev.gitops.console;

import java.util.Optional;

/**
 * Where a person reads a build's log: locally the runner's {@code <data-dir>/builds/<build>/build.log}, through a
 * console page; in AWS CodeBuild's own link to CloudWatch Logs ({@link CloudWatchBuildLogs}).
 */
public interface BuildLogs {
    /**
     * The link to show for a build.
     *
     * @param base     the console's path prefix
     * @param buildId  CodeBuild's id ({@code <project>:<uuid>})
     * @param deepLink the build's {@code Logs.DeepLink} as its task reported it, or null
     */
    Optional<String> link(String base, String buildId, String deepLink);

    /** The end of a build's log for the console's log page ({@code key}: the build's uuid); empty when there is none here. */
    Optional<Tail> tail(String key);

    /**
     * The end of a log.
     *
     * @param text  the last part of the log, whole lines
     * @param size  the log's size in bytes
     * @param shown how many of its last bytes {@code text} is
     */
    record Tail(String text, long size, long shown) {
        public boolean cut() {
            return shown < size;
        }
    }
}
