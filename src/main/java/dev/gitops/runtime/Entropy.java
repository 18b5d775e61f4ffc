package dev.gitops.runtime;

import java.security.SecureRandom;

/**
 * Random bytes for what must not be guessed (approval ids, CSRF nonces), from one {@link SecureRandom}. A SnapStart
 * restore {@link #renew renews} it: every execution environment resumed from one snapshot then draws from a
 * generator of its own, whatever algorithm {@code java.security} makes the default (the native one reads the kernel's
 * entropy on each call; a DRBG would otherwise carry the snapshot's state into every copy).
 */
public final class Entropy {
    private static volatile SecureRandom random = new SecureRandom();
    private static volatile int generation;

    private Entropy() {
    }

    public static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A new generator, seeded now: after a restore from a snapshot. */
    public static synchronized void renew() {
        random = new SecureRandom();
        generation++;
    }

    /** How many times the generator was renewed: a restore's trace, for the log and tests. */
    public static int generation() {
        return generation;
    }
}
