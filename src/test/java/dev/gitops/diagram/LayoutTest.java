package dev.gitops.diagram;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline's definition laid out by ELK: every state a box, no two boxes overlapping, every transition a route. */
class LayoutTest {
    @Test
    void thePipelineIsLaidOutWithEveryStateEveryTransitionAndNoOverlap() throws Exception {
        StateGraph graph = StateGraph.of(new ObjectMapper().readTree(Files.readString(Path.of("statemachine/pipeline.asl.json"))));
        assertEquals("PlanOnly?", graph.startAt());
        Set<String> names = graph.states().stream().map(StateGraph.State::name).collect(Collectors.toSet());
        assertTrue(names.containsAll(List.of("AcquireLock", "WaitForLock", "Plan", "WaitForApproval", "Apply", "Deployed", "Failed")));
        assertTrue(graph.transitions().contains(new StateGraph.Transition("WaitForLock", "AcquireLock", StateGraph.Kind.NEXT)),
                "the loop of waiting for a lock");
        assertTrue(graph.transitions().contains(new StateGraph.Transition("Plan", "ExplainFailure", StateGraph.Kind.CATCH)));

        Diagram diagram = Layout.of(graph);
        assertEquals(graph.states().size(), diagram.boxes().size());
        assertEquals(graph.transitions().size(), diagram.lines().size());
        for (Diagram.Box a : diagram.boxes()) {
            assertTrue(a.x() >= 0 && a.y() >= 0 && a.x() + a.width() <= diagram.width() && a.y() + a.height() <= diagram.height(),
                    a + " inside the drawing");
            for (Diagram.Box b : diagram.boxes()) {
                boolean overlap = a != b && a.x() < b.x() + b.width() && b.x() < a.x() + a.width()
                        && a.y() < b.y() + b.height() && b.y() < a.y() + a.height();
                assertFalse(overlap, a.name() + " overlaps " + b.name());
            }
        }
        for (Diagram.Line line : diagram.lines()) {
            assertTrue(line.points().size() >= 2, line.toString());
            assertTrue(line.path().startsWith("M"), line.path());
        }
        Diagram.Box start = diagram.boxes().stream().filter(b -> b.name().equals("PlanOnly?")).findFirst().orElseThrow();
        Diagram.Box end = diagram.boxes().stream().filter(b -> b.name().equals("Deployed")).findFirst().orElseThrow();
        assertTrue(start.y() < end.y(), "top to bottom: the start above the end");
    }
}
