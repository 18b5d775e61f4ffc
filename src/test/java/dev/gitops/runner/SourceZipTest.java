package dev.gitops.runner;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local runner unpacks a source archive only from its store, only with the recorded sha256, only inside the tree. */
class SourceZipTest {
    @Test
    void anArchiveFromTheStoreWithItsRecordedSha256UnpacksWithItsModesAndNothingOutsideTheTree() throws Exception {
        Path store = Files.createTempDirectory("sources");
        Path zip = archive(store.resolve("acme/infra/abc/x.zip"));
        Path tree = Files.createTempDirectory("src");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertNull(SourceZip.unpack(store, zip.toString(), sha256(zip), tree, log));
        assertEquals("terraform {}\n", Files.readString(tree.resolve("infra/main.tf")));
        assertTrue(Files.isExecutable(tree.resolve("run.sh")));
        assertFalse(Files.exists(tree.getParent().resolve("escaped")), "an entry naming ../ stays out");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("unpacked"));
    }

    @Test
    void anArchiveWhoseSha256IsNotTheRecordedOneIsRefused() throws Exception {
        Path store = Files.createTempDirectory("sources");
        Path zip = archive(store.resolve("acme/infra/abc/x.zip"));
        String problem = SourceZip.unpack(store, zip.toString(), "0".repeat(64), Files.createTempDirectory("src"),
                new ByteArrayOutputStream());
        assertTrue(problem.contains("is not the one the controller made"), problem);
    }

    @Test
    void anArchiveOutsideTheStoreIsRefused() throws Exception {
        Path store = Files.createTempDirectory("sources");
        Path zip = archive(Files.createTempDirectory("elsewhere").resolve("x.zip"));
        String problem = SourceZip.unpack(store, zip.toString(), sha256(zip), Files.createTempDirectory("src"),
                new ByteArrayOutputStream());
        assertTrue(problem.contains("is not in the local source store"), problem);
    }

    private static Path archive(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(file))) {
            entry(zip, "infra/main.tf", 0100644, "terraform {}\n");
            entry(zip, "run.sh", 0100755, "#!/bin/sh\n");
            entry(zip, "../escaped", 0100644, "out of the tree\n");
        }
        return file;
    }

    private static void entry(ZipArchiveOutputStream zip, String name, int mode, String text) throws Exception {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setUnixMode(mode);
        zip.putArchiveEntry(entry);
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeArchiveEntry();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
