package dev.gitops.console;

import dev.gitops.diagram.Diagram;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.PlanResult;
import dev.gitops.web.Frame;

import java.util.List;

/**
 * {@code /ui/executions/{name}} ({@code console/execution.jte}): the execution, its diagram with the path taken and the
 * current state, its history, input and output, the plan, the builds' logs and, while it waits for approval, the
 * unsigned approval page (which decides nothing).
 *
 * @param approvalPage the approval page without its signature, while the execution waits; null otherwise
 * @param awsConsole   the execution's page in the AWS console (in AWS), or null
 * @param planText     the console's page of the plan's text, or null when there is no saved plan
 * @param eventsCut    whether the history is longer than what is shown
 */
public record ExecutionPage(Frame frame, String name, String executionArn, String status, String startDate,
                            String stopDate, String error, String cause, ExecutionInput input, String inputJson,
                            String outputJson, Drawing diagram, List<History.Row> events, boolean eventsCut,
                            PlanResult plan, String planText, List<BuildLink> builds, String approvalPage,
                            String awsConsole) {

    /** A build of the execution and where its log is read (null when nowhere from here). */
    public record BuildLink(String state, String id, String status, String log) {
    }

    /** The diagram as drawn for this execution: each box and line with its classes (taken, current, failed). */
    public record Drawing(String width, String height, List<DrawnBox> boxes, List<DrawnLine> lines) {
    }

    /**
     * A state's box.
     *
     * @param classes {@code node}, its type, then {@code end}, {@code taken}, {@code current}, {@code failed} as they apply
     */
    public record DrawnBox(String name, String classes, String x, String y, String width, String height, String textX,
                           String textY, String tooltip) {
    }

    public record DrawnLine(String path, String classes) {
    }

    /** Draws {@code diagram} for an execution that went through {@code history}. */
    static Drawing draw(Diagram diagram, History history, boolean failed) {
        var entered = new java.util.HashSet<>(history.entered());
        String last = history.last();
        List<DrawnBox> boxes = diagram.boxes().stream().map(b -> {
            StringBuilder classes = new StringBuilder("node ").append(b.type().toLowerCase(java.util.Locale.ROOT));
            if (b.end()) {
                classes.append(" end");
            }
            if (entered.contains(b.name())) {
                classes.append(" taken");
            }
            if (b.name().equals(history.current())) {
                classes.append(" current");
            }
            if (failed && history.current() == null && b.name().equals(last)) {
                classes.append(" failed");
            }
            String tooltip = b.name() + " (" + b.type() + ")" + (b.name().equals(history.current()) ? ": current state"
                    : entered.contains(b.name()) ? ": taken" : "");
            return new DrawnBox(b.name(), classes.toString(), Diagram.px(b.x()), Diagram.px(b.y()), Diagram.px(b.width()),
                    Diagram.px(b.height()), Diagram.px(b.centerX()), Diagram.px(b.centerY()), tooltip);
        }).toList();
        List<DrawnLine> lines = diagram.lines().stream().map(l -> new DrawnLine(l.path(), "edge "
                + l.kind().name().toLowerCase(java.util.Locale.ROOT)
                + (history.transitions().contains(History.transition(l.from(), l.to())) ? " taken" : ""))).toList();
        return new Drawing(Diagram.px(diagram.width()), Diagram.px(diagram.height()), boxes, lines);
    }
}
