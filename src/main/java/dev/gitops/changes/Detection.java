package dev.gitops.changes;

import java.util.List;

/**
 * The outcome of change detection.
 *
 * @param stacks  the stacks to run, with their reasons
 * @param removed stacks the change deleted (they are not run: destroying is not planned from a deletion)
 * @param invalid why the repository's {@code .gitops.yml} cannot be used, or null
 */
public record Detection(List<StackChange> stacks, List<String> removed, String invalid) {
}
