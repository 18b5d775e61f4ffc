package dev.gitops.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Secrets local mode makes for itself when none is configured (the webhook secret, the approval-link secret): 32
 * random bytes as hex, kept in a file of the data directory (mode 600), so they survive restarts.
 */
final class LocalSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSecrets.class);

    private LocalSecrets() {
    }

    /**
     * The configured secret; else the one kept in {@code file} (made on first use), saying so in the log.
     *
     * @param setting the environment variable that would configure it, for the log
     */
    static byte[] configuredOrKept(String configured, Path file, String setting, String use) {
        if (configured != null) {
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        String secret = readOrCreate(file);
        LOG.info("{}: {} is not set, using the secret in \"{}\"", use, setting, file);
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The secret kept in {@code file}, made on first use. */
    private static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            String secret = random(32);
            writePrivate(file, secret + "\n");
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local secret " + file, e);
        }
    }

    /** {@code bytes} random bytes as hex. */
    static String random(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /**
     * Writes a file only its owner can read (mode 600 from the start: it is never readable by others, not even for a
     * moment), in the private data directory.
     */
    static void writePrivate(Path file, String text) throws IOException {
        DataDirectory.ensure(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
