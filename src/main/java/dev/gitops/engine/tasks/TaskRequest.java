package dev.gitops.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.asl.TaskResource;

import java.util.concurrent.CompletableFuture;

/**
 * One invocation of a Task state's resource: the resolved Parameters and, for {@code .waitForTaskToken}, the token the
 * callee must hand back through SendTaskSuccess / SendTaskFailure.
 *
 * @param cancelled completed by the engine when it gives up on the task (timeout, StopExecution): a {@code .sync}
 *                  handler stops its job when it sees this
 */
public record TaskRequest(TaskResource resource, JsonNode parameters, String taskToken, String executionArn,
                          String stateName, CompletableFuture<Void> cancelled) {
}
