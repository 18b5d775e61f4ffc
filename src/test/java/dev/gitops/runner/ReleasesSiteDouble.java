package dev.gitops.runner;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A test double for a Terraform or OpenTofu releases site (releases.hashicorp.com, OpenTofu's GitHub releases): a local
 * HTTP server answering the files it was given by path, 404 otherwise, and recording every path asked for.
 */
final class ReleasesSiteDouble implements AutoCloseable {
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final HttpServer server;

    ReleasesSiteDouble() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    /** The site's base URL, as a project's TERRAFORM_RELEASES_URL would name it. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Publishes one release the way the real sites lay it out: {@code <dir>/<binary>_<version>_linux_<arch>.zip} holding
     * an executable script named {@code binary} that prints {@code says}, and {@code <dir>/<binary>_<version>_SHA256SUMS}
     * listing its sha256 (and another file's, as the real list does).
     *
     * @param tampered whether the site answers another zip than the one SHA256SUMS lists
     */
    void publish(String dir, String binary, String version, String arch, String says, boolean tampered) {
        String zip = binary + "_" + version + "_linux_" + arch + ".zip";
        byte[] listed = zip(binary, "#!/bin/sh\necho '" + says + "'\n");
        byte[] served = tampered ? zip(binary, "#!/bin/sh\necho 'not the release'\n") : listed;
        String sums = sha256(zip(binary, "darwin")) + "  " + binary + "_" + version + "_darwin_" + arch + ".zip\n"
                + sha256(listed) + "  " + zip + "\n";
        files.put(dir + "/" + zip, served);
        files.put(dir + "/" + binary + "_" + version + "_SHA256SUMS", sums.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] zip(String name, String script) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("LICENSE.txt"));
            zip.write("licensed\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry(name));
            zip.write(script.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
