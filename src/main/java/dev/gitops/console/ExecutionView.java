package dev.gitops.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.approval.Approval;
import dev.gitops.approval.ApprovalLinks;
import dev.gitops.approval.ApprovalStore;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.pipeline.Executions;
import dev.gitops.web.Frame;
import io.micronaut.context.annotation.Prototype;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Gathers what {@code /ui/executions/{name}} shows from Step Functions (DescribeExecution, GetExecutionHistory,
 * DescribeStateMachine for the definition) and the approvals table (an approval the execution waits for).
 */
@Prototype
class ExecutionView {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionView.class);
    /** Execution names as the front door makes them, and as Step Functions allows them. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    /** A history longer than this (a lock waited for a long time) is shown up to here. */
    static final int MAX_EVENTS = 3000;

    private final SfnClient sfn;
    private final Executions executions;
    private final ApprovalStore approvals;
    private final ApprovalLinks links;
    private final BuildLogs buildLogs;
    private final ExecutionLinks elsewhere;
    private final ObjectMapper mapper;

    ExecutionView(SfnClient sfn, Executions executions, ApprovalStore approvals, ApprovalLinks links,
                  BuildLogs buildLogs, ExecutionLinks elsewhere, ObjectMapper mapper) {
        this.sfn = sfn;
        this.executions = executions;
        this.approvals = approvals;
        this.links = links;
        this.buildLogs = buildLogs;
        this.elsewhere = elsewhere;
        this.mapper = mapper;
    }

    /** The pipeline's execution named {@code name}; empty when there is none. */
    Optional<DescribeExecutionResponse> describe(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        String machine = executions.stateMachineArn();
        String arn = machine.replace(":stateMachine:", ":execution:") + ":" + name;
        try {
            return Optional.of(sfn.describeExecution(b -> b.executionArn(arn)));
        } catch (ExecutionDoesNotExistException | InvalidArnException none) {
            return Optional.empty();
        }
    }

    ExecutionPage page(DescribeExecutionResponse execution, String base) {
        boolean running = execution.status() == ExecutionStatus.RUNNING;
        History history = History.of(events(execution.executionArn()), running, mapper);
        ExecutionPage.Drawing drawing = null;
        try {
            String definition = sfn.describeStateMachine(b -> b.stateMachineArn(execution.stateMachineArn())).definition();
            drawing = ExecutionPage.draw(Diagrams.of(mapper, definition), history, !running && execution.status() != ExecutionStatus.SUCCEEDED);
        } catch (RuntimeException e) {
            LOG.warn("console: no diagram of \"{}\": {}", execution.stateMachineArn(), e.toString());
        }
        String approvalPage = null;
        if (running) {
            approvalPage = approvals.ofExecution(execution.executionArn()).stream().filter(Approval::pending)
                    .map(a -> links.unsigned(a.id())).findFirst().orElse(null);
        }
        List<ExecutionPage.BuildLink> builds = history.builds().stream().map(b -> new ExecutionPage.BuildLink(b.state(),
                b.id(), b.status(), buildLogs.link(base, b.id(), b.deepLink()).orElse(null))).toList();
        String planText = history.plan() != null && history.plan().location() != null && !history.plan().location().isBlank()
                ? base + "/ui/executions/" + execution.name() + "/plan" : null;
        List<History.Row> rows = history.rows();
        return new ExecutionPage(new Frame(execution.name(), base, "executions", running ? 5 : 0), execution.name(),
                execution.executionArn(), execution.statusAsString(), String.valueOf(execution.startDate()),
                Objects.toString(execution.stopDate(), null), execution.error(), execution.cause(), input(execution.input()),
                pretty(execution.input()), pretty(execution.output()), drawing, rows, rows.size() >= MAX_EVENTS,
                history.plan(), planText, builds, approvalPage, elsewhere.awsConsole(execution.executionArn()).orElse(null));
    }

    /** The plan of an execution: where its saved plan is and the sha256 of its text (null when it has none). */
    History plan(DescribeExecutionResponse execution) {
        return History.of(events(execution.executionArn()), execution.status() == ExecutionStatus.RUNNING, mapper);
    }

    private List<HistoryEvent> events(String executionArn) {
        List<HistoryEvent> events = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetExecutionHistoryResponse page = sfn.getExecutionHistory(b -> b.executionArn(executionArn).maxResults(1000)
                    .nextToken(next));
            events.addAll(page.events());
            token = page.nextToken();
        } while (token != null && events.size() < MAX_EVENTS);
        return events.size() > MAX_EVENTS ? events.subList(0, MAX_EVENTS) : events;
    }

    private ExecutionInput input(String text) {
        ExecutionInput input = ExecutionInput.readLeniently(mapper, text);
        return input != null ? input : new ExecutionInput(null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    private String pretty(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode tree = mapper.readTree(json);
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (Exception e) {
            return json;
        }
    }
}
