package dev.gitops.diagram;

import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out a {@link StateGraph} top to bottom with the Eclipse Layout Kernel's layered (Sugiyama) algorithm, as the
 * Step Functions console draws a workflow: states in layers, few crossings, orthogonal routes. Loops (waiting for a
 * lock and asking again) are handled by ELK's cycle breaking. ELK is loaded when the first diagram is drawn.
 */
public final class Layout {
    private static final double CHAR_WIDTH = 7.2;
    private static final double PADDING = 24;
    private static final double BOX_HEIGHT = 30;
    private static final double MARGIN = 12;
    private static volatile boolean registered;

    private Layout() {
    }

    /** The diagram of {@code graph}. */
    public static Diagram of(StateGraph graph) {
        register();
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.DOWN);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        root.setProperty(CoreOptions.SPACING_NODE_NODE, 24.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 28.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 12.0);
        Map<String, ElkNode> nodes = new LinkedHashMap<>();
        for (StateGraph.State state : graph.states()) {
            ElkNode node = ElkGraphUtil.createNode(root);
            node.setIdentifier(state.name());
            node.setDimensions(Math.max(90, state.name().length() * CHAR_WIDTH + PADDING), BOX_HEIGHT);
            nodes.put(state.name(), node);
        }
        Map<ElkEdge, StateGraph.Transition> edges = new LinkedHashMap<>();
        for (StateGraph.Transition t : graph.transitions()) {
            edges.put(ElkGraphUtil.createSimpleEdge(nodes.get(t.from()), nodes.get(t.to())), t);
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        List<Diagram.Box> boxes = new ArrayList<>();
        for (StateGraph.State state : graph.states()) {
            ElkNode n = nodes.get(state.name());
            boxes.add(new Diagram.Box(state.name(), state.type(), state.end(), n.getX() + MARGIN, n.getY() + MARGIN,
                    n.getWidth(), n.getHeight()));
        }
        List<Diagram.Line> lines = new ArrayList<>();
        edges.forEach((edge, t) -> {
            List<Diagram.Point> points = new ArrayList<>();
            for (ElkEdgeSection section : edge.getSections()) {
                points.add(new Diagram.Point(section.getStartX() + MARGIN, section.getStartY() + MARGIN));
                for (ElkBendPoint bend : section.getBendPoints()) {
                    points.add(new Diagram.Point(bend.getX() + MARGIN, bend.getY() + MARGIN));
                }
                points.add(new Diagram.Point(section.getEndX() + MARGIN, section.getEndY() + MARGIN));
            }
            lines.add(new Diagram.Line(t.from(), t.to(), t.kind(), List.copyOf(points)));
        });
        return new Diagram(root.getWidth() + 2 * MARGIN, root.getHeight() + 2 * MARGIN, List.copyOf(boxes), List.copyOf(lines));
    }

    /** Whether ELK has been loaded (the first diagram was drawn). */
    public static boolean loaded() {
        return registered;
    }

    /** ELK finds its algorithms through a registry; the layered one is registered here rather than by a service file. */
    private static void register() {
        if (!registered) {
            synchronized (Layout.class) {
                if (!registered) {
                    LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
                    registered = true;
                }
            }
        }
    }
}
