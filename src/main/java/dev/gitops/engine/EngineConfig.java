package dev.gitops.engine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the engine keeps its files and how it names things.
 *
 * @param dataDir   state machines, definitions and execution journals live here
 * @param region    the region in ARNs and in TaskScheduled events
 * @param accountId the account in ARNs
 * @param workers   threads that move executions between states
 * @param retention how long closed executions are kept (journal and history), as Step Functions keeps them 90 days
 */
public record EngineConfig(Path dataDir, String region, String accountId, int workers, Duration retention) {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);

    public static EngineConfig of(Path dataDir) {
        return new EngineConfig(dataDir, "us-east-1", "123456789012", Math.max(2, Runtime.getRuntime().availableProcessors()),
                DEFAULT_RETENTION);
    }

    public EngineConfig withRetention(Duration retention) {
        return new EngineConfig(dataDir, region, accountId, workers, retention);
    }
}
