package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.asl.Machine;
import dev.gitops.engine.asl.State;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.time.EngineTime;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * One thread of control in an execution: its top level, one branch of a Parallel state, or one iteration of a Map
 * state. It holds its position (state, state input, retry counters, and the task, timer or fork it waits on) and its
 * events carry its scope, so that a restart can tell whose they are. Guarded by its execution's monitor.
 */
final class Run {
    final Execution execution;
    final Machine machine;
    /** The Map or Parallel state's fork this run belongs to; null at the top level. */
    final Fork parent;
    /** The branch or iteration index within {@link #parent}. */
    final int index;
    /** Null at the top level, else {@code "<id of the fork's Started event>.<index>"}: each event's {@code "@r"}. */
    final String scope;

    String stateName;
    JsonNode stateInput;
    Instant enteredAt;
    long enteredEventId;
    int retryCount;
    int[] retrierAttempts = new int[0];
    TaskRun task;
    EngineTime.Timer stateTimer;
    /** The branches or iterations of the Map or Parallel state this run is in, while they run. */
    Fork fork;
    /** Queued to take its next step. */
    boolean ready;
    /** Ended: succeeded, failed or aborted. */
    boolean done;
    /** Moves on at every state entry and abort, so that timers armed for an earlier position do nothing. */
    long generation;
    /** The id of this run's latest event: the next one's previousEventId. */
    long lastEventId;

    Run(Execution execution, Machine machine, Fork parent, int index, String scope) {
        this.execution = execution;
        this.machine = machine;
        this.parent = parent;
        this.index = index;
        this.scope = scope;
    }

    State state() {
        return machine.state(stateName);
    }

    /** The context object ($$) for the current state. */
    ObjectNode context(String taskToken) {
        Execution x = execution;
        ObjectNode context = Json.object();
        ObjectNode executionNode = context.putObject("Execution");
        executionNode.put("Id", x.arn);
        executionNode.set("Input", x.inputNode);
        executionNode.put("Name", x.name);
        executionNode.put("RoleArn", x.roleArn);
        executionNode.put("StartTime", DateTimeFormatter.ISO_INSTANT.format(x.startDate));
        executionNode.put("RedriveCount", 0);
        ObjectNode state = context.putObject("State");
        state.put("EnteredTime", DateTimeFormatter.ISO_INSTANT.format(enteredAt));
        state.put("Name", stateName);
        state.put("RetryCount", retryCount);
        ObjectNode machineNode = context.putObject("StateMachine");
        machineNode.put("Id", x.stateMachineArn);
        machineNode.put("Name", x.stateMachineName);
        if (taskToken != null) {
            context.putObject("Task").put("Token", taskToken);
        }
        return context;
    }
}
