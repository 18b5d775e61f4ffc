package dev.gitops.engine;

import java.nio.file.Path;

/**
 * Where the engine keeps its files and how it names things.
 *
 * @param dataDir   state machines, definitions and execution journals live here
 * @param region    the region in ARNs and in TaskScheduled events
 * @param accountId the account in ARNs
 * @param workers   threads that move executions between states
 */
public record EngineConfig(Path dataDir, String region, String accountId, int workers) {
    public static EngineConfig of(Path dataDir) {
        return new EngineConfig(dataDir, "us-east-1", "123456789012", Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
}
