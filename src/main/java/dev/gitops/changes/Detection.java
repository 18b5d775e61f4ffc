package dev.gitops.changes;

import java.util.List;

/** The outcome of change detection: the stacks to run, or the reason the repository's {@code .gitops.yml} cannot be used. */
public sealed interface Detection permits Detection.Stacks, Detection.InvalidConfig {

    /**
     * @param stacks  the stacks to run, with their reasons (may be empty)
     * @param removed stacks the change deleted (they are not run: destroying is not planned from a deletion)
     * @param skipped directories the change touched that do not run in this environment, and why
     */
    record Stacks(List<StackChange> stacks, List<String> removed, List<Skipped> skipped) implements Detection {
    }

    /** @param problem every problem of the file, in one sentence */
    record InvalidConfig(String problem) implements Detection {
    }

    /**
     * A stack directory the change marked that does not run in the pushed environment.
     *
     * @param reason {@code belongs to environment prd}, {@code belongs to no configured environment: qa}
     */
    record Skipped(String dir, String reason) {
    }
}
