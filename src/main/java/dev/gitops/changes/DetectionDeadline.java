package dev.gitops.changes;

import java.time.Duration;

/**
 * How long change detection of one event may take ({@code gitops.git.detection-deadline}): the loops that read a tree,
 * lay out stacks and map paths ask {@link #check} as they go, and past the deadline detection stops with
 * {@link ChangeDetector.TooLong}, so a repository built to be slow (a huge tree, thousands of stacks) cannot hold a
 * worker forever. The deadline belongs to the thread that runs the detection.
 */
final class DetectionDeadline {
    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

    private DetectionDeadline() {
    }

    interface Detection<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code detection} with {@code limit} to finish. */
    static <T, E extends Exception> T within(Duration limit, Detection<T, E> detection) throws E {
        Long outer = DEADLINE.get();
        DEADLINE.set(System.nanoTime() + limit.toNanos());
        try {
            return detection.run();
        } finally {
            if (outer == null) {
                DEADLINE.remove();
            } else {
                DEADLINE.set(outer);
            }
        }
    }

    /** Fails with {@link ChangeDetector.TooLong} once the deadline has passed; {@code doing} says what was under way. */
    static void check(String doing) {
        Long deadline = DEADLINE.get();
        if (deadline != null && System.nanoTime() > deadline) {
            throw new ChangeDetector.TooLong("change detection went past gitops.git.detection-deadline while " + doing);
        }
    }
}
