package dev.gitops.engine;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Waiting on an execution of an engine in another JVM ({@code ChildEngine}), through its AWS API: the restart tests
 * cannot move that engine's clock, so they poll, for 20 seconds at most.
 */
final class ChildExecutions {
    private static final long WAIT_MILLIS = 20_000;

    private ChildExecutions() {
    }

    /** Waits until the history holds at least {@code count} events of {@code type}. */
    static void awaitEvents(SfnClient sfn, String arn, String type, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (history(sfn, arn).stream().filter(e -> e.typeAsString().equals(type)).count() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("fewer than " + count + " " + type + " in the history of " + arn);
            }
            Thread.sleep(10);
        }
    }

    /** Waits until the execution ends; its description. */
    static DescribeExecutionResponse awaitEnd(SfnClient sfn, String arn) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(arn + " is still running");
            }
            Thread.sleep(10);
        }
    }

    /** The whole history, every page. */
    static List<HistoryEvent> history(SfnClient sfn, String arn) {
        List<HistoryEvent> events = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn)).events().forEach(events::add);
        return events;
    }
}
