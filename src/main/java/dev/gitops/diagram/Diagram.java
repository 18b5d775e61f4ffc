package dev.gitops.diagram;

import java.util.List;

/**
 * A laid-out state graph, in pixels, ready to be drawn as SVG: each state a box, each transition a polyline.
 *
 * @param width  the drawing's width
 * @param height the drawing's height
 */
public record Diagram(double width, double height, List<Box> boxes, List<Line> lines) {

    /** A state's box: top-left corner, size, and what the state is. */
    public record Box(String name, String type, boolean end, double x, double y, double width, double height) {
        /** Where the state's name is written (the box's centre). */
        public double centerX() {
            return x + width / 2;
        }

        public double centerY() {
            return y + height / 2;
        }
    }

    /** A transition's route from one box to another, as the points of a polyline. */
    public record Line(String from, String to, StateGraph.Kind kind, List<Point> points) {
        /** The route as an SVG path ({@code M x y L x y ...}). */
        public String path() {
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < points.size(); i++) {
                Point p = points.get(i);
                d.append(i == 0 ? "M" : " L").append(round(p.x())).append(' ').append(round(p.y()));
            }
            return d.toString();
        }
    }

    public record Point(double x, double y) {
    }

    static String round(double value) {
        return Long.toString(Math.round(value));
    }

    /** A number of pixels as the SVG's attributes want it. */
    public static String px(double value) {
        return round(value);
    }
}
