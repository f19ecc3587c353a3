package dev.p2p.sim.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the lanes' windows on several threads, the caller's among them. Each thread first runs
 * its own lanes (lane i belongs to thread i mod threads), then takes any lane the others have
 * not started; which lane ran where never changes the outcome. Keeping a lane on one thread
 * keeps its queue and its hosts' recent state in that core's cache: taking lanes in plain
 * order moved them between cores every window, and windows took 7% longer per event. Windows
 * are short (a few virtual milliseconds, a few dozen events), so a thread waiting for the
 * others (or for the next window) does not sleep but yields its core, again and again, and
 * parks only when nothing comes for a while (the world keeps the caller busy, or windows run
 * on one thread); a new window wakes it. Yielding rather than spinning on the CPU's pause
 * instruction gives the core at once to whatever else is runnable there (the JIT compiler, or
 * the other lane thread when the scheduler has put both on one core): the same whole-hour run
 * took 8% less CPU time and about 3% less wall time (docs/BENCHMARKS-sim.md). Started and
 * stopped by each {@link Simulation#runUntil}, so no thread outlives a run.
 */
final class LaneThreads {
    /** About a millisecond of yielding (a yield costs ~0.3 us when nothing else runs): far longer than the gap between windows of a busy run. */
    private static final int YIELDS_BEFORE_PARKING = 4_000;
    private static final long PARK_NANOS = 50_000;

    private final Lane[] lanes;
    private final int threads;
    private final Thread[] helpers;
    private final AtomicInteger finished = new AtomicInteger();
    /** For each lane, the last window (generation) in which a thread took it. */
    private final AtomicIntegerArray takenIn;
    private volatile int generation;
    private volatile boolean stopping;
    /** Helpers asleep until the next window (set before they look at the generation a last time). */
    private final AtomicInteger parked = new AtomicInteger();
    private volatile Throwable failure;
    private long windowEnd;

    LaneThreads(Lane[] lanes, int threads) {
        this.lanes = lanes;
        this.threads = threads;
        this.helpers = new Thread[threads - 1];
        this.takenIn = new AtomicIntegerArray(lanes.length);
        for (int t = 1; t < threads; t++) {
            int self = t;
            helpers[t - 1] = new Thread(() -> helperLoop(self), "sim-lanes-" + t);
            helpers[t - 1].setDaemon(true);
            helpers[t - 1].start();
        }
    }

    /** Runs every lane's events before {@code endMillis}; returns when all lanes have. */
    void runWindow(long endMillis) {
        windowEnd = endMillis;
        finished.set(0);
        int g = ++generation; // publishes windowEnd to the helpers
        if (parked.get() > 0) {
            for (Thread h : helpers) {
                LockSupport.unpark(h);
            }
        }
        try {
            runShare(0, g);
        } catch (Throwable t) {
            failure = t; // rethrown once the helpers have finished their share too
        }
        int yields = 0;
        while (finished.get() < helpers.length) {
            if (++yields > YIELDS_BEFORE_PARKING) {
                LockSupport.parkNanos(PARK_NANOS);
            } else {
                Thread.yield();
            }
        }
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    void stop() {
        stopping = true;
        generation++;
        for (Thread h : helpers) {
            LockSupport.unpark(h);
            boolean interrupted = false;
            while (h.isAlive()) {
                try {
                    h.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void helperLoop(int self) {
        int seen = 0;
        while (true) {
            int yields = 0;
            int g;
            while ((g = generation) == seen) {
                if (++yields <= YIELDS_BEFORE_PARKING) {
                    Thread.yield();
                    continue;
                }
                // Idle (the windows run on one thread, or the world is busy): sleep until woken.
                parked.incrementAndGet();
                if (generation == seen) {
                    LockSupport.park(this);
                }
                parked.decrementAndGet();
            }
            seen = g;
            if (stopping) {
                return;
            }
            try {
                runShare(self, g);
            } catch (Throwable t) {
                failure = t;
            }
            finished.incrementAndGet();
        }
    }

    /**
     * Runs thread {@code self}'s own lanes of window {@code g}, then any other lane not yet
     * taken, from the end (the lanes its owner would reach last), so a busy lane does not hold
     * up an idle thread.
     */
    private void runShare(int self, int g) {
        for (int i = self; i < lanes.length; i += threads) {
            runIfNotTaken(i, g);
        }
        for (int i = lanes.length - 1; i >= 0; i--) {
            if (i % threads != self) {
                runIfNotTaken(i, g);
            }
        }
    }

    private void runIfNotTaken(int lane, int g) {
        int last = takenIn.get(lane);
        if (last != g && takenIn.compareAndSet(lane, last, g)) {
            lanes[lane].runBefore(windowEnd);
        }
    }
}
