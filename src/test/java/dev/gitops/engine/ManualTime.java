package dev.gitops.engine;

import dev.gitops.engine.time.EngineTime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** Test time: it moves only when a test advances it, and then runs the timers that fell due, in order. */
public final class ManualTime implements EngineTime {
    private record Entry(Instant at, long seq, Runnable task, boolean[] cancelled) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> {
        int c = a.at.compareTo(b.at);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private Instant now;
    private long seq;

    public ManualTime(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public Timer schedule(Instant at, Runnable task) {
        boolean[] cancelled = {false};
        boolean runNow;
        synchronized (this) {
            runNow = !at.isAfter(now);
            if (!runNow) {
                queue.add(new Entry(at, seq++, task, cancelled));
                notifyAll();
            }
        }
        if (runNow) {
            task.run();
        }
        return () -> {
            synchronized (ManualTime.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves time forward and runs every timer due by then. */
    public void advance(Duration duration) {
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at.isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                if (next.at.isAfter(now)) {
                    now = next.at;
                }
                if (next.cancelled[0]) {
                    continue;
                }
            }
            next.task.run();
        }
    }

    /** The deadlines of the timers not yet run or cancelled, soonest first. */
    public synchronized List<Instant> pending() {
        List<Entry> entries = new ArrayList<>(queue);
        entries.sort((a, b) -> a.at.compareTo(b.at));
        List<Instant> result = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.cancelled[0]) {
                result.add(e.at);
            }
        }
        return result;
    }

    /** Waits (real time, briefly) until at least {@code count} timers are pending: the engine arms them asynchronously. */
    public synchronized void awaitPending(int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (pending().size() < count) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " pending timer(s), have " + pending());
            }
            wait(Math.min(left, 50));
        }
    }

    /** Waits (real time, briefly) until a timer is armed for exactly this instant. */
    public void awaitTimerAt(Instant at) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!pending().contains(at)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no timer armed for " + at + "; pending: " + pending());
            }
            Thread.sleep(5);
        }
    }
}
