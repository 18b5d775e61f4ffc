package dev.gitops.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB Local (com.amazonaws:DynamoDBLocal) in server mode, in this JVM: the same HTTP protocol as DynamoDB, so
 * the AWS SDK talks to it exactly as to AWS. DynamoDB Local 2.x always listens on every interface (it has no option
 * to bind to loopback only).
 */
public final class LocalDynamoDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDynamoDb.class);
    private static final String NATIVE_LIBRARY = "libsqlite4java-linux-amd64.so";

    private final DynamoDBProxyServer server;
    private final int port;

    private LocalDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts DynamoDB Local on {@code port} with one shared database (every credential and region sees the same
     * tables), telemetry off.
     *
     * @param dataDir where the database file lives, or null to keep it in memory (tests)
     */
    public static LocalDynamoDb start(int port, Path dataDir) {
        Path nativeDir = nativeLibraryDir(dataDir);
        System.setProperty("sqlite4java.library.path", nativeDir.toString());
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-sharedDb", "-disableTelemetry"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the DynamoDB Local data directory " + dataDir, e);
            }
            args.addAll(List.of("-dbPath", dataDir.toString()));
        }
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            server.start();
            LOG.info("DynamoDB Local listening on port {} ({})", port, dataDir == null ? "in memory" : "data in \"" + dataDir + "\"");
            return new LocalDynamoDb(server, port);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not start on port " + port
                    + " (is something else listening there? set GITOPS_LOCAL_DYNAMODB_PORT): " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        try {
            server.stop();
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
