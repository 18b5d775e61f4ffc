package dev.gitops.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.ApiErrors;
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

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/executions} (the pipeline's executions, newest first; filters {@code environment}, {@code stack}
 * (name or directory), {@code status}; paged with {@code nextToken}) and {@code GET /api/deployments?environment=}.
 */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PipelineController {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int PAGE = 50;

    private final SfnClient sfn;
    private final StateMachineLocator stateMachine;
    private final DeploymentStore deployments;

    public PipelineController(SfnClient sfn, StateMachineLocator stateMachine, DeploymentStore deployments) {
        this.sfn = sfn;
        this.stateMachine = stateMachine;
        this.deployments = deployments;
    }

    @Get("/executions")
    public HttpResponse<ObjectNode> executions(@Nullable @QueryValue String environment, @Nullable @QueryValue String stack,
                                               @Nullable @QueryValue String status, @Nullable @QueryValue String nextToken) {
        ExecutionStatus filter = null;
        if (status != null && !status.isBlank()) {
            filter = ExecutionStatus.fromValue(status.toUpperCase(Locale.ROOT));
            if (filter == ExecutionStatus.UNKNOWN_TO_SDK_VERSION) {
                return ApiErrors.error(400, "invalid-status", "status must be one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT,"
                        + " ABORTED (it is '" + status + "')");
            }
        }
        ExecutionStatus statusFilter = filter;
        ListExecutionsResponse page;
        try {
            page = sfn.listExecutions(b -> b.stateMachineArn(stateMachine.stateMachineArn()).maxResults(PAGE)
                    .statusFilter(statusFilter).nextToken(nextToken == null || nextToken.isBlank() ? null : nextToken));
        } catch (InvalidTokenException e) {
            return ApiErrors.error(400, "invalid-next-token", "nextToken is not one this API gave out");
        }
        List<ObjectNode> items = new ArrayList<>();
        for (ExecutionListItem execution : page.executions()) {
            JsonNode input = input(execution.executionArn());
            if (environment != null && !environment.equals(input.path("environment").asText())) {
                continue;
            }
            if (stack != null && !stack.equals(input.path("stack").path("name").asText())
                    && !stack.equals(input.path("stack").path("dir").asText())) {
                continue;
            }
            ObjectNode item = MAPPER.createObjectNode();
            item.put("name", execution.name()).put("executionArn", execution.executionArn())
                    .put("status", execution.statusAsString()).put("startDate", String.valueOf(execution.startDate()))
                    .put("stopDate", execution.stopDate() == null ? null : execution.stopDate().toString())
                    .put("repository", input.path("repository").asText(null))
                    .put("environment", input.path("environment").asText(null))
                    .put("stack", input.path("stack").path("name").asText(null))
                    .put("dir", input.path("stack").path("dir").asText(null))
                    .put("sha", input.path("sha").asText(null))
                    .put("mode", input.path("mode").asText(null));
            items.add(item);
        }
        return HttpResponse.ok(ApiErrors.list(items, page.nextToken()));
    }

    private JsonNode input(String executionArn) {
        try {
            return MAPPER.readTree(sfn.describeExecution(b -> b.executionArn(executionArn)).input());
        } catch (IOException | RuntimeException e) {
            return MAPPER.createObjectNode();
        }
    }

    @Get("/deployments")
    public ObjectNode deployments(@Nullable @QueryValue String environment) {
        return ApiErrors.list(deployments.list(environment == null || environment.isBlank() ? null : environment).stream()
                .map(DeploymentStore.Deployment::json).toList(), null);
    }
}
