package dev.gitops.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * {@code mvn mn:run} always starts the JVM with {@code -Dcom.sun.management.jmxremote}, and the JDK's local JMX agent
 * then listens on a random port of every interface (it turns away other hosts, but it answers there). Local mode
 * promises that nothing of it listens beyond loopback, so before anything else starts, that listening socket is
 * closed: the RMI transport's server sockets not bound to loopback. Reading them needs {@code --add-opens
 * java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED}, which the pom gives {@code mn:run}; without it, the startup log says
 * loudly what listens.
 */
public final class JmxListener {
    private static final Logger LOG = LoggerFactory.getLogger(JmxListener.class);

    private JmxListener() {
    }

    /** Closes the JMX agent's listening sockets beyond loopback, when the JVM was started with one. */
    public static void closeBeyondLoopback() {
        if (System.getProperty("com.sun.management.jmxremote") == null
                || System.getProperty("com.sun.management.jmxremote.port") != null) {
            return; // no agent, or a remote JMX port someone asked for on purpose
        }
        try {
            Class<?> endpoint = Class.forName("sun.rmi.transport.tcp.TCPEndpoint");
            Field endpoints = accessible(endpoint.getDeclaredField("localEndpoints"));
            Field transport = accessible(endpoint.getDeclaredField("transport"));
            Field server = accessible(Class.forName("sun.rmi.transport.tcp.TCPTransport").getDeclaredField("server"));
            Map<?, ?> all = (Map<?, ?>) endpoints.get(null);
            int closed = 0;
            synchronized (all) {
                for (Object list : all.values()) {
                    for (Object each : (List<?>) list) {
                        Object owner = transport.get(each);
                        ServerSocket socket = owner == null ? null : (ServerSocket) server.get(owner);
                        if (socket != null && !socket.isClosed() && !socket.getInetAddress().isLoopbackAddress()) {
                            LOG.info("closed the JMX agent's listener on {} (-Dcom.sun.management.jmxremote, as mvn mn:run"
                                    + " starts the JVM): nothing of local mode listens beyond loopback", socket.getLocalSocketAddress());
                            socket.close();
                            closed++;
                        }
                    }
                }
            }
            if (closed == 0) {
                LOG.debug("no JMX listener beyond loopback");
            }
        } catch (ReflectiveOperationException | RuntimeException | IOException e) {
            LOG.warn("!!! the JVM runs a JMX agent (-Dcom.sun.management.jmxremote) whose RMI port listens on every"
                    + " interface, and it could not be closed ({}); run with --add-opens"
                    + " java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED, or start java -jar without that flag", e.toString());
        }
    }

    private static Field accessible(Field field) {
        field.setAccessible(true);
        return field;
    }
}
