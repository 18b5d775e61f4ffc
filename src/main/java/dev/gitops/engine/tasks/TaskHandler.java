package dev.gitops.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.asl.TaskResource;

import java.util.concurrent.CompletableFuture;

/**
 * Runs the Task states of one service ({@code dynamodb}, {@code lambda}, ...). The returned future completes with the
 * task's result, or exceptionally with a {@link dev.gitops.engine.data.StatesException} naming the error as Step
 * Functions would. For {@code .sync} the future completes when the job ends; for {@code .waitForTaskToken} its result
 * is what the history records as TaskSubmitted, and the task's result arrives later through SendTaskSuccess.
 * {@link #start} is called on an engine worker thread, outside any lock: it should hand blocking work to its own
 * executor and return at once.
 */
public interface TaskHandler {
    /** The service part of the resource ARNs this handler serves ({@code arn:aws:states:::<service>:<action>}). */
    String service();

    /** Null when the handler runs this resource (action and integration pattern), else a sentence saying why not. */
    String check(TaskResource resource);

    CompletableFuture<JsonNode> start(TaskRequest request);
}
