package dev.gitops.console;

import dev.gitops.pipeline.Executions;
import dev.gitops.web.Frame;

import java.util.List;

/**
 * {@code /ui} ({@code console/executions.jte}): the pipeline's executions, newest first, with the filters of
 * {@code GET /api/executions}.
 *
 * @param next the link to the next page, or null on the last
 */
public record ExecutionsPage(Frame frame, String environment, String stack, String status, List<String> environments,
                             List<String> statuses, List<Executions.Item> items, String next) {
}
