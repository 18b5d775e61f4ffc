package dev.gitops.changes;

import java.util.List;

/**
 * A stack to run in one environment, and why.
 *
 * @param dir           the stack's directory for this environment ({@code {env}} filled in)
 * @param backendConfig the environment's backend config file, when the commit has one
 * @param varFile       the environment's variable file, when the commit has one
 */
public record StackChange(String name, String dir, List<String> reasons, String backendConfig, String varFile) {
}
