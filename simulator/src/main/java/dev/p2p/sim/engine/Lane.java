package dev.p2p.sim.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One share of the virtual hosts with its own event queue, clock and generator. Lanes run a
 * window of virtual time side by side (see {@link Simulation}): a lane's events touch only its
 * own hosts, and what it sends to another lane's host arrives after the window, so it waits in
 * an outbox until the lanes meet again. Sequence numbers are the lane's own, so the order of
 * events never depends on which thread ran which lane.
 */
public final class Lane {
    private static final ThreadLocal<Lane> CURRENT = new ThreadLocal<>();

    final int index;
    private final EventQueue queue = new EventQueue();
    private final Random random;
    private final Outbox[] outboxes;
    private final List<Runnable> afterWindow = new ArrayList<>();
    long nowMillis;
    private long nextSequence;
    private long eventsRun;
    /** Whether any outbox may hold something: most windows of a small network send nothing across. */
    private boolean posted;

    Lane(int index, int laneCount, Random random) {
        this.index = index;
        this.random = random;
        this.outboxes = new Outbox[laneCount];
        for (int i = 0; i < laneCount; i++) {
            outboxes[i] = new Outbox();
        }
    }

    /** The lane whose window this thread is running, or null in the world's context. */
    static Lane current() {
        return CURRENT.get();
    }

    public int index() {
        return index;
    }

    public long nowMillis() {
        return nowMillis;
    }

    /** This lane's generator, for draws made on behalf of its hosts (the network's loss and jitter). */
    public Random random() {
        return random;
    }

    /** A timer of one of this lane's hosts, {@code delayMillis} from the lane's now. */
    public ScheduledTask schedule(long delayMillis, Runnable task) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delayMillis);
        }
        return insert(nowMillis + delayMillis, task);
    }

    ScheduledTask insert(long timeMillis, Runnable task) {
        ScheduledTask t = new ScheduledTask(timeMillis, nextSequence++, task);
        queue.add(t);
        return t;
    }

    void post(int toLane, long timeMillis, Runnable task) {
        outboxes[toLane].add(timeMillis, task);
        posted = true;
    }

    void deferToWorld(Runnable task) {
        afterWindow.add(task);
    }

    /** The time of this lane's first event, or {@link Long#MAX_VALUE}. */
    long firstTime() {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.firstTime();
    }

    /** Runs this lane's events due before {@code endMillis} (exclusive), on the calling thread. */
    void runBefore(long endMillis) {
        if (queue.isEmpty() || queue.firstTime() >= endMillis) {
            return; // small networks leave most lanes idle in most windows
        }
        CURRENT.set(this);
        try {
            while (!queue.isEmpty() && queue.firstTime() < endMillis) {
                ScheduledTask next = queue.poll();
                nowMillis = next.timeMillis;
                if (next.run()) {
                    eventsRun++;
                }
            }
        } finally {
            CURRENT.set(null);
        }
    }

    /** Moves what this lane sent to each other lane's hosts into that lane's queue, in the order sent. */
    void deliverOutboxes(Lane[] lanes) {
        if (posted) {
            for (Lane to : lanes) {
                outboxes[to.index].drainInto(to);
            }
            posted = false;
        }
    }

    /** Runs, in the world's context, what this lane's events handed to the world, in order. */
    void runAfterWindow() {
        for (int i = 0; i < afterWindow.size(); i++) {
            afterWindow.get(i).run();
        }
        afterWindow.clear();
    }

    long eventsRun() {
        return eventsRun;
    }

    int pending() {
        int n = queue.size();
        for (Outbox o : outboxes) {
            n += o.size;
        }
        return n;
    }

    /** Tasks for another lane, kept in the order they were posted. */
    private static final class Outbox {
        private long[] times = new long[64];
        private Runnable[] tasks = new Runnable[64];
        private int size;

        void add(long time, Runnable task) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                tasks = Arrays.copyOf(tasks, size * 2);
            }
            times[size] = time;
            tasks[size++] = task;
        }

        void drainInto(Lane to) {
            for (int i = 0; i < size; i++) {
                to.insert(times[i], tasks[i]);
                tasks[i] = null;
            }
            size = 0;
        }
    }
}
