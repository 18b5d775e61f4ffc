package dev.gitops.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The data directory (engine journals, DynamoDB Local's files, secrets, mirrors, build logs) belongs to the controller's
 * user alone: mode 700, made so when it is created and tightened at startup if it was opened up, so that builds, which
 * run as other users, can read nothing in it.
 */
final class DataDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    private static final Set<PosixFilePermission> PRIVATE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private DataDirectory() {
    }

    /** Creates {@code dir} (and missing parents inside it) private, or makes an existing one private. */
    static Path ensure(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createDirectories(dir);
                }
            }
            try {
                Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
                if (!now.equals(PRIVATE)) {
                    Files.setPosixFilePermissions(dir, PRIVATE);
                    LOG.info("\"{}\" was {}: it is now readable by its owner only", dir, PosixFilePermissions.toString(now));
                }
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: nothing to tighten
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the private directory " + dir, e);
        }
    }
}
