package dev.gitops.console;

import dev.gitops.approval.PlanText;
import dev.gitops.execution.PlanResult;
import dev.gitops.http.Page;
import dev.gitops.pipeline.Executions;
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
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.context.annotation.Prototype;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The console's pages of executions: {@code /ui} (the list, with {@code /api/executions}' filters),
 * {@code /ui/executions/{name}} (one execution), {@code /ui/executions/{name}/plan} (its plan's text) and
 * {@code /ui/builds/{build}} (a local build's log). Every refusal is a page with a sentence and a 4xx.
 */
@Controller("/ui")
@ExecuteOn(TaskExecutors.BLOCKING)
@Prototype // not created while the function starts: see web.Templates
class ExecutionPages {
    /** The plan's text page shows this much of a plan. */
    static final int PLAN_LIMIT = 8 * 1024 * 1024;
    private static final Pattern BUILD = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Executions executions;
    private final ExecutionView view;
    private final Routing routing;
    private final BuildLogs buildLogs;
    private final PlanText planText;
    private final Pages pages;

    ExecutionPages(Executions executions, ExecutionView view, Routing routing, BuildLogs buildLogs, PlanText planText,
                   Pages pages) {
        this.executions = executions;
        this.view = view;
        this.routing = routing;
        this.buildLogs = buildLogs;
        this.planText = planText;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> list(@Nullable @QueryValue String environment, @Nullable @QueryValue String stack,
                              @Nullable @QueryValue String status, @Nullable @QueryValue String nextToken) {
        String base = pages.base();
        Page<Executions.Item> page;
        try {
            page = executions.list(environment, stack, status, nextToken);
        } catch (Executions.BadFilter e) {
            return refuse(HttpStatus.BAD_REQUEST, "Bad filter", e.getMessage() + ".", base);
        }
        boolean running = page.items().stream().anyMatch(i -> "RUNNING".equals(i.status()));
        String next = page.nextToken() == null ? null : base + "/ui?" + query(environment, stack, status, page.nextToken());
        return pages.respond(HttpStatus.OK, "console/executions", new ExecutionsPage(new Frame("Executions", base,
                "executions", running ? 5 : 0), text(environment), text(stack), text(status),
                routing.environments().stream().map(Environment::name).toList(), Executions.STATUSES, page.items(), next));
    }

    @Get(value = "/executions/{name}", produces = MediaType.TEXT_HTML)
    HttpResponse<String> execution(@PathVariable String name) {
        String base = pages.base();
        Optional<DescribeExecutionResponse> execution = view.describe(name);
        if (execution.isEmpty()) {
            return unknown(name, base);
        }
        return pages.respond(HttpStatus.OK, "console/execution", view.page(execution.get(), base));
    }

    @Get(value = "/executions/{name}/plan", produces = MediaType.TEXT_HTML)
    HttpResponse<String> plan(@PathVariable String name) {
        String base = pages.base();
        Optional<DescribeExecutionResponse> execution = view.describe(name);
        if (execution.isEmpty()) {
            return unknown(name, base);
        }
        PlanResult plan = view.plan(execution.get()).plan();
        String back = base + "/ui/executions/" + name;
        if (plan == null || plan.location() == null || plan.location().isBlank()) {
            return refuse(HttpStatus.NOT_FOUND, "No plan", "Execution " + name + " saved no plan (it has not planned yet,"
                    + " or its plan failed).", base);
        }
        PlanText.Shown shown = planText.read(plan.location(), plan.textSha256(), PLAN_LIMIT);
        if (!shown.verified()) {
            return pages.respond(HttpStatus.NOT_FOUND, "message", new Message(new Frame("Plan of " + name, base,
                    "executions", 0), shown.text(), back));
        }
        return pages.respond(HttpStatus.OK, "console/text", new TextPage(new Frame("Plan of " + name, base, "executions", 0),
                "terraform show of the saved plan " + plan.location() + " (" + plan.summary().counts() + ")", shown.text(), back));
    }

    @Get(value = "/builds/{build}", produces = MediaType.TEXT_HTML)
    HttpResponse<String> log(@PathVariable String build) {
        String base = pages.base();
        Optional<BuildLogs.Tail> tail = build != null && BUILD.matcher(build).matches() ? buildLogs.tail(build) : Optional.empty();
        if (tail.isEmpty()) {
            return refuse(HttpStatus.NOT_FOUND, "No such log", "There is no log of build " + build + " here: local builds"
                    + " keep their logs 30 days, and builds in AWS log to CloudWatch (the execution's page links them).", base);
        }
        BuildLogs.Tail t = tail.get();
        String note = t.cut() ? "The last " + t.shown() / 1024 + " KiB of " + t.size() / 1024 + " KiB." : t.size() + " bytes.";
        return pages.respond(HttpStatus.OK, "console/text", new TextPage(new Frame("Log of build " + build, base,
                "executions", 0), note, t.text(), null));
    }

    private HttpResponse<String> unknown(String name, String base) {
        return refuse(HttpStatus.NOT_FOUND, "Unknown execution", "There is no execution named " + name + " of the pipeline"
                + " (closed executions are forgotten after their retention).", base);
    }

    private HttpResponse<String> refuse(HttpStatus status, String title, String sentence, String base) {
        return pages.respond(status, "message", new Message(new Frame(title, base, "executions", 0), sentence, base + "/ui"));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    static String query(String environment, String stack, String status, String nextToken) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("environment", environment);
        params.put("stack", stack);
        params.put("status", status);
        params.put("nextToken", nextToken);
        return params.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
