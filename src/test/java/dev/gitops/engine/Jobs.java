package dev.gitops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.asl.TaskResource;
import dev.gitops.engine.tasks.TaskHandler;
import dev.gitops.engine.tasks.TaskRequest;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task handler for {@code arn:aws:states:::job:run} (and {@code run.sync}) whose tasks run until the test finishes
 * them: it counts how many run at once and sees when the engine calls one off (StopExecution, a failed branch).
 */
final class Jobs implements TaskHandler {
    static final String RUN = "arn:aws:states:::job:run";
    static final String RUN_SYNC = "arn:aws:states:::job:run.sync";

    /** One task the engine started. */
    record Job(JsonNode parameters, CompletableFuture<JsonNode> result, CompletableFuture<Void> cancelled, Runnable end) {
        /** Ends the job with this output; it stops counting as running before the engine hears of it. */
        void finish(JsonNode output) {
            end.run();
            result.complete(output);
        }

        void fail(RuntimeException error) {
            end.run();
            result.completeExceptionally(error);
        }
    }

    private final BlockingQueue<Job> started = new LinkedBlockingQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();

    @Override
    public String service() {
        return "job";
    }

    @Override
    public String check(TaskResource resource) {
        return "run".equals(resource.action()) && resource.pattern() != TaskResource.Pattern.WAIT_FOR_TASK_TOKEN ? null
                : "job supports run and run.sync";
    }

    @Override
    public CompletableFuture<JsonNode> start(TaskRequest request) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                running.decrementAndGet();
            }
        };
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        total.incrementAndGet();
        request.cancelled().whenComplete((value, failure) -> end.run());
        started.add(new Job(request.parameters(), result, request.cancelled(), end));
        return result;
    }

    /** The next task the engine started, waiting for it (real time, briefly). */
    Job next() throws InterruptedException {
        Job job = started.poll(15, TimeUnit.SECONDS);
        if (job == null) {
            throw new AssertionError("no job started within 15 s; " + running.get() + " running");
        }
        return job;
    }

    /** Whether a task was started that no {@link #next} took yet. */
    boolean pending() {
        return !started.isEmpty();
    }

    int running() {
        return running.get();
    }

    /** The most tasks that ran at once. */
    int maxRunning() {
        return maxRunning.get();
    }

    int total() {
        return total.get();
    }
}
