package dev.gitops.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.diagram.Diagram;
import dev.gitops.diagram.Layout;
import dev.gitops.diagram.StateGraph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The diagram of each state machine definition, laid out once and kept (a definition changes with a deployment, not
 * with each page): the last few definitions seen. Not a bean, so that nothing of it exists before the first page.
 */
final class Diagrams {
    private static final int KEEP = 8;
    private static final Map<String, Diagram> LAID_OUT = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Diagram> eldest) {
            return size() > KEEP;
        }
    };

    private Diagrams() {
    }

    static Diagram of(ObjectMapper mapper, String definition) {
        synchronized (LAID_OUT) {
            Diagram diagram = LAID_OUT.get(definition);
            if (diagram == null) {
                try {
                    diagram = Layout.of(StateGraph.of(mapper.readTree(definition)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                LAID_OUT.put(definition, diagram);
            }
            return diagram;
        }
    }
}
