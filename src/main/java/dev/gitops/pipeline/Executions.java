package dev.gitops.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.http.Page;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The pipeline's executions, newest first, 50 a page, as {@code GET /api/executions} and the console list them:
 * filtered by environment, stack (name or directory) and status, each with what its input says.
 */
@Singleton
public class Executions {
    static final int PAGE = 50;
    private static final ExecutionInput NO_INPUT = new ExecutionInput(null, null, null, null, null, null, null, null,
            new ExecutionInput.Stack(null, null, null, null), null, null, null, null);

    /** An execution as {@code /api/executions} lists it. */
    public record Item(String name, String executionArn, String status, String startDate, String stopDate,
                       String repository, String environment, String stack, String dir, String sha,
                       ExecutionInput.Mode mode) {
    }

    /** A filter that cannot be applied: its code ({@code invalid-status}, {@code invalid-next-token}) and a sentence. */
    public static final class BadFilter extends Exception {
        private final String code;

        BadFilter(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final SfnClient sfn;
    private final StateMachineLocator stateMachine;
    private final ObjectMapper mapper;

    public Executions(SfnClient sfn, StateMachineLocator stateMachine, ObjectMapper mapper) {
        this.sfn = sfn;
        this.stateMachine = stateMachine;
        this.mapper = mapper;
    }

    /** The state machine the pipeline's executions run on. */
    public String stateMachineArn() {
        return stateMachine.stateMachineArn();
    }

    /** The statuses a filter may name. */
    public static final List<String> STATUSES = List.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED");

    /**
     * One page of executions; blank filters are no filters.
     *
     * @throws BadFilter for a status Step Functions does not have or a page token it did not give out
     */
    public Page<Item> list(String environment, String stack, String status, String nextToken) throws BadFilter {
        ExecutionStatus filter = null;
        if (status != null && !status.isBlank()) {
            filter = ExecutionStatus.fromValue(status.toUpperCase(Locale.ROOT));
            if (filter == ExecutionStatus.UNKNOWN_TO_SDK_VERSION) {
                throw new BadFilter("invalid-status", "status must be one of " + String.join(", ", STATUSES)
                        + " (it is '" + status + "')");
            }
        }
        String env = blank(environment) ? null : environment;
        String stackFilter = blank(stack) ? null : stack;
        ExecutionStatus statusFilter = filter;
        ListExecutionsResponse page;
        try {
            page = sfn.listExecutions(b -> b.stateMachineArn(stateMachine.stateMachineArn()).maxResults(PAGE)
                    .statusFilter(statusFilter).nextToken(blank(nextToken) ? null : nextToken));
        } catch (InvalidTokenException e) {
            throw new BadFilter("invalid-next-token", "nextToken is not one this API gave out");
        }
        List<Item> items = new ArrayList<>();
        for (ExecutionListItem execution : page.executions()) {
            ExecutionInput input = input(execution.executionArn());
            ExecutionInput.Stack inputStack = input.stack() == null ? NO_INPUT.stack() : input.stack();
            if (env != null && !env.equals(input.environment())) {
                continue;
            }
            if (stackFilter != null && !stackFilter.equals(inputStack.name()) && !stackFilter.equals(inputStack.dir())) {
                continue;
            }
            items.add(new Item(execution.name(), execution.executionArn(), execution.statusAsString(),
                    String.valueOf(execution.startDate()), Objects.toString(execution.stopDate(), null),
                    input.repository(), input.environment(), inputStack.name(), inputStack.dir(), input.sha(), input.mode()));
        }
        return new Page<>(items, page.nextToken());
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private ExecutionInput input(String executionArn) {
        try {
            ExecutionInput input = ExecutionInput.readLeniently(mapper, sfn.describeExecution(b -> b.executionArn(executionArn)).input());
            return input == null ? NO_INPUT : input;
        } catch (RuntimeException e) {
            return NO_INPUT;
        }
    }
}
