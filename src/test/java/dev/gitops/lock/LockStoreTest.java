package dev.gitops.lock;

import dev.gitops.TestDynamoDb;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lock rule on DynamoDB Local: one holder at a time, re-entrant, expiry, ownership, first in line goes next. */
class LockStoreTest {
    private static final String ID = "acme/infra/infra/vpc/tst";

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static LockStore.Claim claim(String execution, Duration holdFor) {
        return new LockStore.Claim(ID, "arn:aws:states:us-east-1:123456789012:execution:p:" + execution, "a".repeat(40),
                "develop", Lock.Phase.PLAN, holdFor);
    }

    private static String arn(String execution) {
        return "arn:aws:states:us-east-1:123456789012:execution:p:" + execution;
    }

    @Test
    void aHeldLockIsRefusedWithItsHolderAndIsReentrantForItsOwner() {
        LockStore store = new LockStore(TestDynamoDb.client(), TestDynamoDb.table("locks", "lockId"), Clock.systemUTC());
        assertTrue(store.acquire(claim("one", Duration.ofHours(1))).acquired());
        LockStore.Acquired refused = store.acquire(claim("two", Duration.ofHours(1)));
        assertFalse(refused.acquired());
        assertEquals(arn("one"), refused.current().holder());
        assertEquals("develop", refused.current().branch());
        assertTrue(store.acquire(claim("one", Duration.ofHours(1))).acquired(), "a redriven execution gets its own lock again");
        assertFalse(store.release(ID, arn("two")), "only the holder releases");
        assertTrue(store.release(ID, arn("one")));
        assertTrue(store.acquire(claim("two", Duration.ofHours(1))).acquired(), "the first in line takes it");
    }

    @Test
    void anExpiredLockCanBeTakenAndItsFormerHolderCannotExtendIt() {
        MovableClock clock = new MovableClock();
        LockStore store = new LockStore(TestDynamoDb.client(), TestDynamoDb.table("locks", "lockId"), clock);
        assertTrue(store.acquire(claim("one", Duration.ofMinutes(10))).acquired());
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertTrue(store.acquire(claim("two", Duration.ofMinutes(10))).acquired());
        assertFalse(store.extend(ID, arn("one"), Lock.Phase.APPLY, Duration.ofMinutes(10)), "Apply's ownership check fails");
        assertTrue(store.extend(ID, arn("two"), Lock.Phase.APPLY, Duration.ofMinutes(10)));
        assertEquals(Lock.Phase.APPLY, store.get(ID).phase());
    }

    @Test
    void theFirstWaiterGoesNextUnlessItStopsAsking() {
        MovableClock clock = new MovableClock();
        LockStore store = new LockStore(TestDynamoDb.client(), TestDynamoDb.table("locks", "lockId"), clock);
        assertTrue(store.acquire(claim("holder", Duration.ofHours(1))).acquired());
        assertFalse(store.acquire(claim("first", Duration.ofHours(1))).acquired());
        assertFalse(store.acquire(claim("second", Duration.ofHours(1))).acquired());
        assertEquals(arn("first"), store.get(ID).nextInLine());
        store.release(ID, arn("holder"));
        assertFalse(store.acquire(claim("second", Duration.ofHours(1))).acquired(), "second may not jump the line");
        clock.now = clock.now.plus(LockStore.STALE_WAITER).plusSeconds(1);
        assertTrue(store.acquire(claim("second", Duration.ofHours(1))).acquired(), "a waiter that stopped asking loses its place");
        assertNull(store.get(ID).nextInLine());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void fiftyContendersNeverHoldItTogether() throws Exception {
        LockStore store = new LockStore(TestDynamoDb.client(), TestDynamoDb.table("locks", "lockId"), Clock.systemUTC());
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String name = "c" + i;
            all.add(CompletableFuture.runAsync(() -> {
                for (int round = 0; round < 2; round++) {
                    while (!store.acquire(claim(name, Duration.ofHours(1))).acquired()) {
                        sleep(2);
                    }
                    most.accumulateAndGet(holders.incrementAndGet(), Math::max);
                    sleep(1); // hold it a moment, so that an overlap would be seen
                    holders.decrementAndGet();
                    assertTrue(store.release(ID, arn(name)));
                    done.incrementAndGet();
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, java.util.concurrent.TimeUnit.SECONDS);
        pool.shutdown();
        assertEquals(1, most.get());
        assertEquals(100, done.get());
        assertNotNull(store.get(ID));
        assertTrue(store.held().isEmpty());
    }
}
