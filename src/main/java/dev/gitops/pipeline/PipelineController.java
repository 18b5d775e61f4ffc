package dev.gitops.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.approval.Decision;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.PlanResult;
import dev.gitops.http.ApiError;
import dev.gitops.http.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
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
 * {@code GET /api/executions} (the pipeline's executions, newest first; filters {@code environment}, {@code stack}
 * (name or directory), {@code status}; paged with {@code nextToken}) and {@code GET /api/deployments?environment=}.
 */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PipelineController {
    private static final int PAGE = 50;
    private static final ExecutionInput NO_INPUT = new ExecutionInput(null, null, null, null, null, null, null, null,
            new ExecutionInput.Stack(null, null, null, null), null, null, null, null);

    /** An execution as {@code /api/executions} lists it. */
    public record ExecutionItem(String name, String executionArn, String status, String startDate, String stopDate,
                                String repository, String environment, String stack, String dir, String sha,
                                ExecutionInput.Mode mode) {
    }

    /** A deployment as {@code /api/deployments} lists it. */
    public record DeploymentItem(String repository, String stack, String dir, String environment, String sha,
                                 String execution, DeploymentStore.Outcome outcome, String at, PlanResult.Summary plan,
                                 Decision approval) {
        static DeploymentItem of(DeploymentStore.Deployment d) {
            return new DeploymentItem(d.repository(), d.stack(), d.dir(), d.environment(), d.sha(), d.execution(),
                    d.outcome(), d.time(), d.planSummary(), d.approval());
        }
    }

    private final SfnClient sfn;
    private final StateMachineLocator stateMachine;
    private final DeploymentStore deployments;
    private final ObjectMapper mapper;

    public PipelineController(SfnClient sfn, StateMachineLocator stateMachine, DeploymentStore deployments,
                              ObjectMapper mapper) {
        this.sfn = sfn;
        this.stateMachine = stateMachine;
        this.deployments = deployments;
        this.mapper = mapper;
    }

    @Get("/executions")
    public HttpResponse<?> executions(@Nullable @QueryValue String environment, @Nullable @QueryValue String stack,
                                      @Nullable @QueryValue String status, @Nullable @QueryValue String nextToken) {
        ExecutionStatus filter = null;
        if (status != null && !status.isBlank()) {
            filter = ExecutionStatus.fromValue(status.toUpperCase(Locale.ROOT));
            if (filter == ExecutionStatus.UNKNOWN_TO_SDK_VERSION) {
                return ApiError.respond(400, "invalid-status", "status must be one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT,"
                        + " ABORTED (it is '" + status + "')");
            }
        }
        ExecutionStatus statusFilter = filter;
        ListExecutionsResponse page;
        try {
            page = sfn.listExecutions(b -> b.stateMachineArn(stateMachine.stateMachineArn()).maxResults(PAGE)
                    .statusFilter(statusFilter).nextToken(nextToken == null || nextToken.isBlank() ? null : nextToken));
        } catch (InvalidTokenException e) {
            return ApiError.respond(400, "invalid-next-token", "nextToken is not one this API gave out");
        }
        List<ExecutionItem> items = new ArrayList<>();
        for (ExecutionListItem execution : page.executions()) {
            ExecutionInput input = input(execution.executionArn());
            ExecutionInput.Stack inputStack = input.stack() == null ? NO_INPUT.stack() : input.stack();
            if (environment != null && !environment.equals(input.environment())) {
                continue;
            }
            if (stack != null && !stack.equals(inputStack.name()) && !stack.equals(inputStack.dir())) {
                continue;
            }
            items.add(new ExecutionItem(execution.name(), execution.executionArn(), execution.statusAsString(),
                    String.valueOf(execution.startDate()), Objects.toString(execution.stopDate(), null),
                    input.repository(), input.environment(), inputStack.name(), inputStack.dir(), input.sha(), input.mode()));
        }
        return HttpResponse.ok(new Page<>(items, page.nextToken()));
    }

    private ExecutionInput input(String executionArn) {
        try {
            ExecutionInput input = ExecutionInput.readLeniently(mapper, sfn.describeExecution(b -> b.executionArn(executionArn)).input());
            return input == null ? NO_INPUT : input;
        } catch (RuntimeException e) {
            return NO_INPUT;
        }
    }

    @Get("/deployments")
    public Page<DeploymentItem> deployments(@Nullable @QueryValue String environment) {
        return Page.of(deployments.list(environment == null || environment.isBlank() ? null : environment).stream()
                .map(DeploymentItem::of).toList());
    }
}
