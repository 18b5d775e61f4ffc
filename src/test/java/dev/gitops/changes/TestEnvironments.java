package dev.gitops.changes;

import java.util.List;
import java.util.Map;

/** The default environments' names and aliases, as {@code application.yml} configures them. */
public final class TestEnvironments {
    public static final EnvironmentNames DEFAULTS = EnvironmentNames.of(Map.of(
            "dev", List.of("dev", "development"),
            "tst", List.of("tst", "test", "stage", "staging"),
            "prd", List.of("prd", "prod", "production")));

    private TestEnvironments() {
    }
}
