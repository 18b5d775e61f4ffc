package dev.gitops.console;

import io.micronaut.context.annotation.Secondary;
import io.micronaut.context.annotation.Prototype;

import java.util.Optional;

/**
 * Where else an execution can be seen: in AWS, the Step Functions console's page of the execution (its graph, history
 * and the builds' links, with the operator's AWS sign-in). Local mode has no such page and replaces this bean.
 */
public interface ExecutionLinks {
    Optional<String> awsConsole(String executionArn);

    /** The AWS console's execution page, in the execution's region. */
    @Prototype
    @Secondary
    class AwsConsole implements ExecutionLinks {
        @Override
        public Optional<String> awsConsole(String executionArn) {
            String[] parts = executionArn == null ? new String[0] : executionArn.split(":");
            if (parts.length < 4 || parts[3].isBlank()) {
                return Optional.empty();
            }
            String region = parts[3];
            return Optional.of("https://" + region + ".console.aws.amazon.com/states/home?region=" + region
                    + "#/v2/executions/details/" + executionArn);
        }
    }
}
