package dev.gitops.console;

import dev.gitops.execution.Commits;
import dev.gitops.execution.ExecutionNames;
import dev.gitops.pipeline.DeploymentStore;
import dev.gitops.routing.Environment;
import dev.gitops.routing.Routing;
import dev.gitops.web.Frame;
import dev.gitops.web.Message;
import dev.gitops.web.Pages;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.context.annotation.Prototype;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /ui/deployments} (what is deployed now per environment and stack, and the history: the deployment records)
 * and {@code /ui/drift} (the latest drift status per stack, when drift detection has run).
 */
@Controller("/ui")
@ExecuteOn(TaskExecutors.BLOCKING)
@Prototype // not created while the function starts: see web.Templates
class RecordPages {
    /** The history shows this many records at most. */
    static final int HISTORY = 500;

    private final DeploymentStore deployments;
    private final DriftReport drift;
    private final Routing routing;
    private final Pages pages;

    RecordPages(DeploymentStore deployments, DriftReport drift, Routing routing, Pages pages) {
        this.deployments = deployments;
        this.drift = drift;
        this.routing = routing;
        this.pages = pages;
    }

    @Get(value = "/deployments", produces = MediaType.TEXT_HTML)
    HttpResponse<String> deployments(@Nullable @QueryValue String environment) {
        String base = pages.base();
        String env = blank(environment) ? null : environment;
        if (env != null && !routing.names().contains(env)) {
            return unknownEnvironment(env, "deployments", base);
        }
        List<RecordsPage.Deployment> history = new ArrayList<>();
        List<RecordsPage.Deployment> now = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (DeploymentStore.Deployment d : deployments.list(env)) {
            RecordsPage.Deployment row = row(d, base);
            if (seen.add(d.environment() + "\u0000" + d.target())) {
                now.add(row);
            }
            if (history.size() < HISTORY) {
                history.add(row);
            }
        }
        now.sort((a, b) -> (a.environment() + "\u0000" + a.dir()).compareTo(b.environment() + "\u0000" + b.dir()));
        return pages.respond(HttpStatus.OK, "console/deployments", new RecordsPage.Deployments(new Frame("Deployments",
                base, "deployments", 0), env == null ? "" : env, environments(), now, history));
    }

    @Get(value = "/drift", produces = MediaType.TEXT_HTML)
    HttpResponse<String> drift(@Nullable @QueryValue String environment) {
        String base = pages.base();
        String env = blank(environment) ? null : environment;
        if (env != null && !routing.names().contains(env)) {
            return unknownEnvironment(env, "drift", base);
        }
        Optional<List<DriftReport.Status>> latest = drift.latest(env);
        return pages.respond(HttpStatus.OK, "console/drift", new RecordsPage.Drift(new Frame("Drift", base, "drift", 0),
                env == null ? "" : env, environments(), latest.isPresent(), latest.orElse(List.of())));
    }

    private HttpResponse<String> unknownEnvironment(String env, String section, String base) {
        return pages.respond(HttpStatus.BAD_REQUEST, "message", new Message(new Frame("Bad filter", base, section, 0),
                "environment must be one of " + String.join(", ", environments()) + " (it is '" + env + "').",
                base + "/ui/" + section));
    }

    private List<String> environments() {
        return routing.environments().stream().map(Environment::name).toList();
    }

    private static RecordsPage.Deployment row(DeploymentStore.Deployment d, String base) {
        String execution = d.execution() == null ? null : ExecutionNames.fromArn(d.execution());
        return new RecordsPage.Deployment(d.environment(), d.stack(), d.dir(), d.repository(),
                d.sha() == null ? "" : Commits.shortSha(d.sha()), d.time(), execution,
                execution == null ? null : base + "/ui/executions/" + execution,
                d.planSummary() == null ? "" : d.planSummary().counts(),
                d.approval() == null ? "" : d.approval().approver());
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
