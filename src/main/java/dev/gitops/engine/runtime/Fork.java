package dev.gitops.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gitops.engine.asl.State;

/**
 * The branches of a Parallel state or the iterations of a Map state while they run: their results so far, the runs
 * still going, and the Map's limits (MaxConcurrency, tolerated failures). {@link ForkSteps} moves it on.
 */
final class Fork {
    final Run owner;
    /** The Map or Parallel state. */
    final State.Recoverable state;
    /** The id of its MapStateStarted or ParallelStateStarted event; children's scopes start with it. */
    final long id;
    /** Map: the state's effective input (what ItemSelector reads); Parallel: every branch's input. */
    final JsonNode input;
    /** Map: the items; null for Parallel. */
    final ArrayNode items;
    final int size;
    final JsonNode[] results;
    final Run[] children;
    /** At most this many iterations at once; 0 when unbounded. */
    final int maxConcurrency;
    /** Null when not set. */
    final Integer toleratedCount;
    /** Null when not set. */
    final Double toleratedPercentage;
    /** The next iteration to start. */
    int next;
    int running;
    int finished;
    int failed;
    boolean closed;
    boolean filling;

    Fork(Run owner, State.Recoverable state, long id, JsonNode input, ArrayNode items, int size, int maxConcurrency,
         Integer toleratedCount, Double toleratedPercentage) {
        this.owner = owner;
        this.state = state;
        this.id = id;
        this.input = input;
        this.items = items;
        this.size = size;
        this.results = new JsonNode[size];
        this.children = new Run[size];
        this.maxConcurrency = maxConcurrency;
        this.toleratedCount = toleratedCount;
        this.toleratedPercentage = toleratedPercentage;
    }

    boolean isMap() {
        return state instanceof State.Map;
    }

    /** Whether failed iterations may be tolerated (a threshold is set), rather than failing the state at once. */
    boolean tolerates() {
        return toleratedCount != null || toleratedPercentage != null;
    }

    /** Whether the failures so far exceed a tolerated threshold. */
    boolean exceeded() {
        return (toleratedCount != null && failed > toleratedCount)
                || (toleratedPercentage != null && failed * 100.0 / size > toleratedPercentage);
    }

    String scope(int index) {
        return id + "." + index;
    }
}
