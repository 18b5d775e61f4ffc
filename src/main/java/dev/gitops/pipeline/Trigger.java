package dev.gitops.pipeline;

/**
 * What caused a run, as the execution input records it (never an arrival time: the input must be the same on a
 * redelivery).
 *
 * @param pullRequest the pull request number, or null for a push
 */
public record Trigger(String event, String delivery, String sender, String compareUrl, String message, Integer pullRequest,
                      boolean forced) {
}
