package dev.gitops.runner;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Unpacks a source archive from the local source store into a build's work tree, as CodeBuild unpacks an S3 source:
 * only a file under the store, only when its sha256 is the one the execution recorded, only regular files, each
 * inside the work tree, executables kept executable.
 */
final class SourceZip {
    private SourceZip() {
    }

    /** @return null when the tree is in place; else what went wrong */
    static String unpack(Path store, String location, String sha256, Path target, OutputStream log) throws IOException {
        if (store == null) {
            return "this runner has no local source store to read '" + location + "' from";
        }
        if (location == null || location.isBlank()) {
            return "SourceLocationOverride (the source archive) is required for an S3 source";
        }
        Path archive = Path.of(location).toAbsolutePath().normalize();
        if (!archive.startsWith(store) || !Files.isRegularFile(archive)) {
            return "the source archive '" + location + "' is not in the local source store " + store;
        }
        if (sha256 == null || !sha256.equals(sha256(archive))) {
            return "the source archive '" + location + "' is not the one the controller made (sha256 differs from"
                    + " SOURCE_SHA256): refusing to build it";
        }
        int files = 0;
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            for (Enumeration<ZipArchiveEntry> entries = zip.getEntries(); entries.hasMoreElements(); ) {
                ZipArchiveEntry entry = entries.nextElement();
                Path file = target.resolve(entry.getName()).normalize();
                if (entry.isDirectory() || entry.isUnixSymlink() || !file.startsWith(target)) {
                    continue;
                }
                Files.createDirectories(file.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, file);
                }
                if ((entry.getUnixMode() & 0100) != 0) {
                    Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
                    permissions.add(PosixFilePermission.OWNER_EXECUTE);
                    Files.setPosixFilePermissions(file, permissions);
                }
                files++;
            }
        }
        log.write(("[Container] " + String.format(Locale.ROOT, "unpacked %s (%d files, sha256 %s)%n", archive, files,
                sha256)).getBytes(StandardCharsets.UTF_8));
        return null;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
