package dev.gitops.local;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DynamoDB Local (com.amazonaws:DynamoDBLocal) in this JVM, one shared database, telemetry off. By default in process
 * ({@link #inProcess}): no port at all, so nothing else on the machine (a build, a neighbour on the network) can read
 * or write the controller's tables. For inspection with the AWS CLI, {@link #server} serves the DynamoDB protocol on a
 * port, bound to loopback only (DynamoDB Local binds every interface unless told otherwise, so its listener is moved).
 * Both keep the same file, {@code <dir>/shared-local-instance.db}, so either mode sees the other's tables.
 */
public final class LocalDynamoDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDynamoDb.class);
    private static final String NATIVE_LIBRARY = "libsqlite4java-linux-amd64.so";
    private static final String SHARED_DB = "shared-local-instance.db";

    private final AmazonDynamoDBLocal embedded;
    private final DynamoDBProxyServer server;
    private final int port;

    private LocalDynamoDb(AmazonDynamoDBLocal embedded, DynamoDBProxyServer server, int port) {
        this.embedded = embedded;
        this.server = server;
        this.port = port;
    }

    /** DynamoDB Local without a port: its client is {@link #inProcessClient()}. */
    public static LocalDynamoDb inProcess(Path dataDir) {
        System.setProperty("sqlite4java.library.path", nativeLibraryDir(dataDir).toString());
        DataDirectory.ensure(dataDir);
        AmazonDynamoDBLocal local = DynamoDBEmbedded.create(dataDir.resolve(SHARED_DB).toFile(), true);
        LOG.info("DynamoDB Local in process, no port (data in \"{}\")", dataDir);
        return new LocalDynamoDb(local, null, 0);
    }

    /**
     * DynamoDB Local serving its HTTP protocol on 127.0.0.1:{@code port} (every credential and region sees the same
     * tables).
     *
     * @param dataDir where the database file lives, or null to keep it in memory (tests)
     */
    public static LocalDynamoDb server(int port, Path dataDir) {
        System.setProperty("sqlite4java.library.path", nativeLibraryDir(dataDir).toString());
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-sharedDb", "-disableTelemetry"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            DataDirectory.ensure(dataDir);
            args.addAll(List.of("-dbPath", dataDir.toString()));
        }
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            bindToLoopback(server);
            server.start();
            LOG.info("DynamoDB Local listening on 127.0.0.1:{} ({})", port, dataDir == null ? "in memory"
                    : "data in \"" + dataDir + "\"");
            return new LocalDynamoDb(null, server, port);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not start on 127.0.0.1:" + port
                    + " (is something else listening there? set GITOPS_LOCAL_DYNAMODB_PORT): " + e.getMessage(), e);
        }
    }

    /** DynamoDB Local names no address for its listener: it is moved to loopback before it starts. */
    private static void bindToLoopback(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(proxy);
        Connector[] connectors = jetty.getConnectors();
        if (connectors.length == 0) {
            throw new IllegalStateException("DynamoDB Local has no listener to bind to loopback");
        }
        for (Connector connector : connectors) {
            ((ServerConnector) connector).setHost("127.0.0.1");
        }
    }

    /** The in-process client; null when DynamoDB Local serves a port (use {@link #endpoint()}). */
    public DynamoDbClient inProcessClient() {
        return embedded == null ? null : embedded.dynamoDbClient();
    }

    /** Where DynamoDB Local listens, when it serves a port. */
    public Optional<URI> endpoint() {
        return server == null ? Optional.empty() : Optional.of(URI.create("http://127.0.0.1:" + port));
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.stop();
            }
            if (embedded != null) {
                embedded.shutdownNow();
            }
        } catch (Exception e) {
            LOG.warn("DynamoDB Local did not stop cleanly: {}", e.toString());
        }
    }

    /** sqlite4java needs its native library as a file; it ships as a resource of this application. */
    private static Path nativeLibraryDir(Path dataDir) {
        Path dir = dataDir != null ? dataDir.resolve("native")
                : Path.of(System.getProperty("java.io.tmpdir"), "gitops-sqlite4java-" + System.getProperty("user.name"));
        Path target = dir.resolve(NATIVE_LIBRARY);
        try (InputStream in = LocalDynamoDb.class.getResourceAsStream("/native/" + NATIVE_LIBRARY)) {
            if (in == null) {
                throw new IllegalStateException("the sqlite4java native library is missing from the classpath (/native/"
                        + NATIVE_LIBRARY + "); build with Maven, which copies it there");
            }
            byte[] bytes = in.readAllBytes();
            if (!Files.exists(target) || Files.size(target) != bytes.length) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, "sqlite4java", ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the sqlite4java native library into " + dir, e);
        }
    }
}
