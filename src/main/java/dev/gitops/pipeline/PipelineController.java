package dev.gitops.pipeline;

import dev.gitops.approval.Decision;
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

/**
 * {@code GET /api/executions} (the pipeline's executions, newest first; filters {@code environment}, {@code stack}
 * (name or directory), {@code status}; paged with {@code nextToken}: {@link Executions}) and
 * {@code GET /api/deployments?environment=}.
 */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PipelineController {
    /** A deployment as {@code /api/deployments} lists it. */
    public record DeploymentItem(String repository, String stack, String dir, String environment, String sha,
                                 String execution, DeploymentStore.Outcome outcome, String at, PlanResult.Summary plan,
                                 Decision approval) {
        static DeploymentItem of(DeploymentStore.Deployment d) {
            return new DeploymentItem(d.repository(), d.stack(), d.dir(), d.environment(), d.sha(), d.execution(),
                    d.outcome(), d.time(), d.planSummary(), d.approval());
        }
    }

    private final Executions executions;
    private final DeploymentStore deployments;

    public PipelineController(Executions executions, DeploymentStore deployments) {
        this.executions = executions;
        this.deployments = deployments;
    }

    @Get("/executions")
    public HttpResponse<?> executions(@Nullable @QueryValue String environment, @Nullable @QueryValue String stack,
                                      @Nullable @QueryValue String status, @Nullable @QueryValue String nextToken) {
        try {
            return HttpResponse.ok(executions.list(environment, stack, status, nextToken));
        } catch (Executions.BadFilter e) {
            return ApiError.respond(400, e.code(), e.getMessage());
        }
    }

    @Get("/deployments")
    public Page<DeploymentItem> deployments(@Nullable @QueryValue String environment) {
        return Page.of(deployments.list(environment == null || environment.isBlank() ? null : environment).stream()
                .map(DeploymentItem::of).toList());
    }
}
