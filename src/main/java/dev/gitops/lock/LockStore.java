package dev.gitops.lock;

import dev.gitops.aws.Tables;
import dev.gitops.store.Item;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Locks per stack and environment in DynamoDB, one conditional write per operation. Acquire succeeds when the lock is
 * free, expired or already ours (re-entrant for a redriven execution) and nobody else is first in line; a refused
 * acquire returns the holder (ReturnValuesOnConditionCheckFailure) and puts the caller first in line when that place is
 * free or stale, so the longest waiter goes next. Release and extend succeed only for the holder. DynamoDB's TTL on
 * {@code expiresAt} is housekeeping: expiry is decided here, by comparing times (a released lock's item keeps
 * {@code expiresAt} = the release time, so TTL removes it; TTL ignores times years in the past).
 */
@Singleton
public class LockStore {
    /** A waiter that has not asked again for this long loses its place in line. */
    static final Duration STALE_WAITER = Duration.ofMinutes(2);

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    @Inject
    public LockStore(DynamoDbClient dynamoDb, Tables tables, Clock clock) {
        this(dynamoDb, tables.getLocks(), clock);
    }

    public LockStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    /** What acquiring the lock asked for, for its record. */
    public record Claim(String lockId, String execution, String sha, String branch, Lock.Phase phase, Duration holdFor) {
    }

    /** The outcome of an acquire: acquired, or the lock as it stands (its holder) when refused. */
    public record Acquired(boolean acquired, Lock current) {
    }

    public Acquired acquire(Claim claim) {
        Instant now = clock.instant();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":self", s(claim.execution()));
        values.put(":now", n(now.getEpochSecond()));
        values.put(":stale", n(now.minus(STALE_WAITER).getEpochSecond()));
        values.put(":sha", s(claim.sha()));
        values.put(":branch", s(claim.branch() == null ? "" : claim.branch()));
        values.put(":phase", s(claim.phase().wire()));
        values.put(":at", s(now.toString()));
        values.put(":until", n(now.plus(claim.holdFor()).getEpochSecond()));
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("lockId", s(claim.lockId())))
                    .conditionExpression("(attribute_not_exists(holder) OR expiresAt < :now OR holder = :self)"
                            + " AND (attribute_not_exists(nextInLine) OR nextInLine = :self OR nextSeen < :stale)")
                    .updateExpression("SET holder = :self, sha = :sha, branch = :branch, phase = :phase,"
                            + " acquiredAt = if_not_exists(acquiredAt, :at), expiresAt = :until REMOVE nextInLine, nextSeen")
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Acquired(true, null);
        } catch (ConditionalCheckFailedException refused) {
            Lock current = refused.hasItem() ? lock(refused.item()) : get(claim.lockId());
            if (current != null && claim.execution().equals(current.holder()) && reacquire(claim, values)) {
                return new Acquired(true, null);
            }
            if (current != null && !claim.execution().equals(current.nextInLine())) {
                queue(claim, now);
            } else if (current != null) {
                touch(claim, now);
            }
            return new Acquired(false, current);
        }
    }

    /** The holder asks again (a redriven execution): its lock, renewed, whoever is in line. */
    private boolean reacquire(Claim claim, Map<String, AttributeValue> values) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("lockId", s(claim.lockId())))
                    .conditionExpression("holder = :self")
                    .updateExpression("SET sha = :sha, branch = :branch, phase = :phase, expiresAt = :until")
                    .expressionAttributeValues(Map.of(":self", values.get(":self"), ":sha", values.get(":sha"),
                            ":branch", values.get(":branch"), ":phase", values.get(":phase"), ":until", values.get(":until"))));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    /** Takes the place first in line when it is free or stale. */
    private void queue(Claim claim, Instant now) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("lockId", s(claim.lockId())))
                    .conditionExpression("attribute_exists(lockId) AND (attribute_not_exists(nextInLine) OR nextInLine = :self"
                            + " OR nextSeen < :stale)")
                    .updateExpression("SET nextInLine = :self, nextSeen = :now")
                    .expressionAttributeValues(Map.of(":self", s(claim.execution()), ":now", n(now.getEpochSecond()),
                            ":stale", n(now.minus(STALE_WAITER).getEpochSecond()))));
        } catch (ConditionalCheckFailedException someoneElseIsNext) {
            // wait behind them
        }
    }

    private void touch(Claim claim, Instant now) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("lockId", s(claim.lockId())))
                    .conditionExpression("nextInLine = :self")
                    .updateExpression("SET nextSeen = :now")
                    .expressionAttributeValues(Map.of(":self", s(claim.execution()), ":now", n(now.getEpochSecond()))));
        } catch (ConditionalCheckFailedException e) {
            // lost the place meanwhile; the next attempt queues again
        }
    }

    /**
     * Moves the holder's lock to a new phase and expiry.
     *
     * @return false when {@code execution} does not hold it (any more)
     */
    public boolean extend(String lockId, String execution, Lock.Phase phase, Duration holdFor) {
        Instant now = clock.instant();
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("lockId", s(lockId)))
                    .conditionExpression("holder = :self AND expiresAt >= :now")
                    .updateExpression("SET phase = :phase, expiresAt = :until")
                    .expressionAttributeValues(Map.of(":self", s(execution), ":now", n(now.getEpochSecond()),
                            ":phase", s(phase.wire()), ":until", n(now.plus(holdFor).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException notOurs) {
            return false;
        }
    }

    /**
     * Releases the lock if {@code execution} holds it.
     *
     * @return false when it did not (released already, taken over after expiry, or never held)
     */
    public boolean release(String lockId, String execution) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("lockId", s(lockId)))
                    .conditionExpression("holder = :self")
                    .updateExpression("REMOVE holder, sha, branch, phase, acquiredAt SET expiresAt = :now")
                    .expressionAttributeValues(Map.of(":self", s(execution), ":now", n(clock.instant().getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException notOurs) {
            return false;
        }
    }

    /** Gives up a place first in line (an execution that ended while waiting). */
    public void leaveLine(String lockId, String execution) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("lockId", s(lockId)))
                    .conditionExpression("nextInLine = :self")
                    .updateExpression("REMOVE nextInLine, nextSeen")
                    .expressionAttributeValues(Map.of(":self", s(execution))));
        } catch (ConditionalCheckFailedException notInLine) {
            // nothing to give up
        }
    }

    /** Releases the lock whoever holds it (the admin API). @return the lock as it was, or null when nobody held it */
    public Lock forceRelease(String lockId) {
        try {
            var response = dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("lockId", s(lockId)))
                    .conditionExpression("attribute_exists(holder)")
                    .updateExpression("REMOVE holder, sha, branch, phase, acquiredAt SET expiresAt = :now")
                    .expressionAttributeValues(Map.of(":now", n(clock.instant().getEpochSecond())))
                    .returnValues(ReturnValue.ALL_OLD));
            return lock(response.attributes());
        } catch (ConditionalCheckFailedException nobody) {
            return null;
        }
    }

    public Lock get(String lockId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("lockId", s(lockId)))).item();
        return item == null || item.isEmpty() ? null : lock(item);
    }

    /** Every lock held now. */
    public List<Lock> held() {
        Instant now = clock.instant();
        List<Lock> locks = new ArrayList<>();
        for (var page : dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true))) {
            for (Map<String, AttributeValue> item : page.items()) {
                Lock lock = lock(item);
                if (lock.heldAt(now)) {
                    locks.add(lock);
                }
            }
        }
        locks.sort(Comparator.comparing(Lock::lockId));
        return locks;
    }

    /** Every lock with a holder, expired or not (the janitor's sweep). */
    public List<Lock> withHolder() {
        List<Lock> locks = new ArrayList<>();
        for (var page : dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true)
                .filterExpression("attribute_exists(holder)"))) {
            page.items().forEach(item -> locks.add(lock(item)));
        }
        return locks;
    }

    /** The one place a lock item is read. */
    private static Lock lock(Map<String, AttributeValue> values) {
        Item item = Item.of(values);
        return new Lock(item.string("lockId"), item.string("holder"), item.string("sha"), item.string("branch"),
                Lock.Phase.named(item.string("phase")), item.instant("acquiredAt"), item.epochSeconds("expiresAt"),
                item.string("nextInLine"));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
