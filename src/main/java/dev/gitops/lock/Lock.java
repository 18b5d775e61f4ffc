package dev.gitops.lock;

import dev.gitops.aws.Items;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;

/**
 * A stack's lock in one environment as stored: who holds it (an execution), for which commit and branch, in which phase,
 * since when and until when; and who is next in line.
 */
public record Lock(String lockId, String holder, String sha, String branch, String phase, Instant acquiredAt,
                   Instant expiresAt, String nextInLine) {

    static Lock from(Map<String, AttributeValue> item) {
        return new Lock(Items.string(item, "lockId"), Items.string(item, "holder"), Items.string(item, "sha"), Items.string(item, "branch"), Items.string(item, "phase"),
                item.containsKey("acquiredAt") ? Instant.parse(item.get("acquiredAt").s()) : null,
                item.containsKey("expiresAt") ? Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n())) : null,
                Items.string(item, "nextInLine"));
    }


    /** Held by someone at {@code now} (a lock past its expiry is free, whatever the item says). */
    public boolean heldAt(Instant now) {
        return holder != null && expiresAt != null && expiresAt.isAfter(now);
    }

    /** The execution's name, from its ARN. */
    public String holderName() {
        return holder == null ? null : holder.substring(holder.lastIndexOf(':') + 1);
    }
}
