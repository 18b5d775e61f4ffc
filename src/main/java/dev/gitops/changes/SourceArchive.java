package dev.gitops.changes;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.zip.Deflater;

/**
 * A commit's tree as the zip a build starts from (CodeBuild's S3 source; the local runner reads the same file), written
 * from the controller's mirror: what was diffed is exactly what is built, with no clone by the build and no
 * credentials for it. Regular files only, with their Unix modes (executables stay executable); symlinks and
 * submodules are left out, so nothing in a build's work tree points outside it. Entries come in the tree's order with a
 * fixed time, so one commit gives the same bytes each time (with one zlib: the archive's key holds its sha256, so
 * another JDK's bytes are another archive, never a mismatch).
 *
 * @param file   the zip, in a temporary file the caller deletes
 * @param sha256 its sha256, hex
 * @param files  how many files it holds
 */
public record SourceArchive(Path file, String sha256, int files) {
    /**
     * 1980-01-01 00:00, the zip format's first moment, in the zone a zip's local times are written in: no entry carries
     * the time it was written, and the bytes do not depend on the machine's time zone.
     */
    private static final long FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0).atZone(ZoneId.systemDefault())
            .toInstant().toEpochMilli();

    /** Writes {@code commit}'s tree of {@code repository} (a bare mirror) into a temporary zip. */
    public static SourceArchive of(Repository repository, ObjectId commit) throws IOException {
        Path file = Files.createTempFile("gitops-source-", ".zip");
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int files = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest);
             ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out);
             RevWalk walk = new RevWalk(repository); ObjectReader reader = repository.newObjectReader();
             TreeWalk tree = new TreeWalk(repository, reader)) {
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            tree.addTree(walk.parseCommit(commit).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    continue; // symlinks and submodules: never followed out of the work tree
                }
                ZipArchiveEntry entry = new ZipArchiveEntry(tree.getPathString());
                entry.setTime(FIXED_TIME);
                entry.setUnixMode(mode == FileMode.EXECUTABLE_FILE ? 0100755 : 0100644);
                zip.putArchiveEntry(entry);
                reader.open(tree.getObjectId(0)).copyTo(zip);
                zip.closeArchiveEntry();
                files++;
            }
            zip.finish();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new SourceArchive(file, HexFormat.of().formatHex(digest.digest()), files);
    }
}
