package dev.gitops.drift;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Starts a drift check: one execution of the drift state machine, for one environment or all ({@code environment}
 * null), named {@code drift-<env|all>-<UTC time>-<6 random hex>} for the console.
 */
@Singleton
public class DriftChecks {
    private static final Logger LOG = LoggerFactory.getLogger(DriftChecks.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    /** A check just started. */
    public record Started(String name, String executionArn, String environment) {
    }

    private final SfnClient sfn;
    private final DriftStateMachine machine;
    private final Clock clock;

    DriftChecks(SfnClient sfn, DriftStateMachine machine, Clock clock) {
        this.sfn = sfn;
        this.machine = machine;
        this.clock = clock;
    }

    public Started start(String environment) {
        String name = "drift-" + (environment == null ? "all" : environment) + "-" + TIME.format(clock.instant()) + "-"
                + UUID.randomUUID().toString().substring(0, 6);
        String input = environment == null ? "{\"environment\":null}" : "{\"environment\":\"" + environment + "\"}";
        String arn = sfn.startExecution(b -> b.stateMachineArn(machine.arn()).name(name).input(input)).executionArn();
        LOG.info("drift check \"{}\" started for {}", name, environment == null ? "every environment" : environment);
        return new Started(name, arn, environment);
    }
}
