package dev.gitops.console;

import dev.gitops.web.Frame;

import java.util.List;

/**
 * {@code /ui/deployments} ({@code console/deployments.jte}): what is deployed now in each environment and stack (the
 * newest record of each), then every record, newest first; and {@code /ui/drift} ({@code console/drift.jte}).
 */
public final class RecordsPage {
    private RecordsPage() {
    }

    /** The deployments page. */
    public record Deployments(Frame frame, String environment, List<String> environments, List<Deployment> now,
                              List<Deployment> history) {
    }

    /** One deployment record as a row; {@code executionPage}: the console's page of its execution. */
    public record Deployment(String environment, String stack, String dir, String repository, String sha, String at,
                             String execution, String executionPage, String counts, String approver) {
    }

    /**
     * The drift page: the latest check of each stack; {@code ran} false when drift detection never ran (or is not
     * wired in).
     */
    public record Drift(Frame frame, String environment, List<String> environments, boolean ran,
                        List<DriftReport.Status> stacks) {
    }
}
