package dev.gitops.secrets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A secret setting: its value given directly ({@code gitops.webhook.secret}, as locally and in tests) or the ARN of a
 * Secrets Manager secret holding it ({@code gitops.webhook.secret-arn}, as in AWS). A value given directly wins. An ARN
 * is read when the secret is first needed, never while the process starts (a SnapStart snapshot holds no secret), and
 * kept for {@link #MAX_AGE}, so a rotation reaches every warm function within minutes; {@link #reread()} reads it
 * again at once after a signature did not match, at most once a minute so that forged requests cannot flood Secrets
 * Manager. When Secrets Manager does not answer a read of a known secret, the known value stands.
 */
public final class Secret {
    private static final Logger LOG = LoggerFactory.getLogger(Secret.class);
    static final Duration REREAD_AT_MOST_EVERY = Duration.ofMinutes(1);
    /** How long a value read from Secrets Manager is used before it is read again. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final String setting;
    private final String value;
    private final String arn;
    private final SecretSource source;
    private final Clock clock;
    private volatile String read;
    private volatile Instant lastRead = Instant.MIN;

    Secret(String setting, String value, String arn, SecretSource source, Clock clock) {
        this.setting = setting;
        this.value = value;
        this.arn = arn;
        this.source = source;
        this.clock = clock;
    }

    /** A secret with its value given: nothing to read (local mode's kept secrets, tests). */
    public static Secret of(String setting, String value) {
        return new Secret(setting, value, null, null, Clock.systemUTC());
    }

    /** Whether it is set, directly or by ARN (without reading it). */
    public boolean configured() {
        return value != null || arn != null;
    }

    /** The setting's name, for sentences ({@code gitops.webhook.secret}). */
    public String setting() {
        return setting;
    }

    /**
     * The value, read from Secrets Manager the first time when given by ARN; empty when not configured.
     *
     * @throws SecretUnavailable when Secrets Manager cannot give it
     */
    public Optional<String> value() {
        if (value != null) {
            return Optional.of(value);
        }
        if (arn == null) {
            return Optional.empty();
        }
        String known = read;
        if (known == null || lastRead.plus(MAX_AGE).isBefore(clock.instant())) {
            synchronized (this) {
                if (read == null) {
                    read = fetch();
                } else if (lastRead.plus(MAX_AGE).isBefore(clock.instant())) {
                    refresh();
                }
                known = read;
            }
        }
        return Optional.of(known);
    }

    /** Reads a known secret again; when that fails, the known value stands (and is tried again after a minute). */
    private void refresh() {
        try {
            read = fetch();
        } catch (SecretUnavailable e) {
            lastRead = clock.instant().minus(MAX_AGE).plus(REREAD_AT_MOST_EVERY);
            LOG.warn("{}: {}; using the value read before", setting, e.getMessage());
        }
    }

    /**
     * Reads an ARN's secret again (after a signature failure: the secret may have been rotated), unless it was read
     * less than a minute ago or was given directly.
     *
     * @return whether a new value was read that differs from the one before
     */
    public boolean reread() {
        if (value != null || arn == null) {
            return false;
        }
        synchronized (this) {
            if (lastRead.plus(REREAD_AT_MOST_EVERY).isAfter(clock.instant())) {
                return false;
            }
            String before = read;
            try {
                read = fetch();
            } catch (SecretUnavailable e) {
                LOG.warn("{}: {}; the value read before stands", setting, e.getMessage());
                return false;
            }
            return !read.equals(before);
        }
    }

    private String fetch() {
        lastRead = clock.instant();
        return source.read(arn);
    }

    @Override
    public String toString() {
        return setting + (value != null ? " (given)" : arn != null ? " (from " + arn + ")" : " (not set)");
    }
}
