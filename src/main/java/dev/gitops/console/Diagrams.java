package dev.gitops.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.diagram.Diagram;
import dev.gitops.diagram.Layout;
import dev.gitops.diagram.StateGraph;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The diagram of each state machine definition, laid out once and kept (a definition changes with a deployment, not
 * with each page): the last few definitions seen.
 */
@Singleton
class Diagrams {
    private static final int KEEP = 8;
    private final ObjectMapper mapper;
    private final Map<String, Diagram> laidOut = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Diagram> eldest) {
            return size() > KEEP;
        }
    };

    Diagrams(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    synchronized Diagram of(String definition) {
        Diagram diagram = laidOut.get(definition);
        if (diagram == null) {
            try {
                diagram = Layout.of(StateGraph.of(mapper.readTree(definition)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            laidOut.put(definition, diagram);
        }
        return diagram;
    }
}
