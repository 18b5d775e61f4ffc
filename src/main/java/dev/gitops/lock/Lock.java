package dev.gitops.lock;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.gitops.runtime.WireNames;
import dev.gitops.execution.ExecutionNames;

import java.time.Instant;

/**
 * A stack's lock in one environment as stored: who holds it (an execution), for which commit and branch, in which
 * phase, since when and until when; and who is next in line.
 */
public record Lock(String lockId, String holder, String sha, String branch, Phase phase, Instant acquiredAt,
                   Instant expiresAt, String nextInLine) {

    /** What the holder is doing: planning, waiting for approval, applying. */
    public enum Phase {
        PLAN, APPROVAL, APPLY;

        @JsonValue
        public String wire() {
            return WireNames.of(this);
        }

        /** The phase an item names, or null. */
        static Phase named(String text) {
            return WireNames.named(Phase.class, text);
        }
    }

    /** Held by someone at {@code now} (a lock past its expiry is free, whatever the item says). */
    public boolean heldAt(Instant now) {
        return holder != null && expiresAt != null && expiresAt.isAfter(now);
    }

    /** The execution's name, from its ARN. */
    public String holderName() {
        return holder == null ? null : ExecutionNames.fromArn(holder);
    }
}
