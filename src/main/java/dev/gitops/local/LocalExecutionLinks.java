package dev.gitops.local;

import dev.gitops.console.ExecutionLinks;
import dev.gitops.runtime.LocalMode;
import io.micronaut.context.annotation.Prototype;

import java.util.Optional;

/** Local mode's executions run on the embedded engine: there is no AWS console page of them. */
@Prototype
@LocalMode
class LocalExecutionLinks implements ExecutionLinks {
    @Override
    public Optional<String> awsConsole(String executionArn) {
        return Optional.empty();
    }
}
