package dev.p2p.sim.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One share of the virtual hosts with its own event queue, clock and generator. Lanes run a
 * window of virtual time side by side (see {@link Simulation}): a lane's events touch only its
 * own hosts, and what it sends to another lane's host arrives after the window, so it waits in
 * an outbox until the lanes meet again. The receiving lane queues it when next touched: at the
 * start of its next window, on the thread that runs it, or before the world adds to it. Outboxes
 * alternate by window, so a lane writing in this window never meets one emptying the last.
 * Sequence numbers are the lane's own, so the order of events never depends on which thread ran
 * which lane.
 */
public final class Lane {
    private static final ThreadLocal<Lane> CURRENT = new ThreadLocal<>();

    final int index;
    private final EventQueue queue = new EventQueue();
    private final Random random;
    /** What this lane sent to each lane, by the parity of the window it was sent in. */
    private final Outbox[][] outboxes;
    private final List<Runnable> afterWindow = new ArrayList<>();
    /** Every lane, in lane order: where this one takes what it was sent from. */
    private Lane[] all;
    /** The parity of the window running now: which outboxes this lane writes. */
    int parity;
    /** Set between windows: the lanes may have sent this one something in the last window, not yet queued. */
    boolean inboundWaiting;
    long nowMillis;
    private long nextSequence;
    private long eventsRun;

    Lane(int index, int laneCount, Random random) {
        this.index = index;
        this.random = random;
        this.outboxes = new Outbox[2][laneCount];
        for (Outbox[] byLane : outboxes) {
            for (int i = 0; i < laneCount; i++) {
                byLane[i] = new Outbox();
            }
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
        if (inboundWaiting) {
            takeInbound(); // first, so sequence numbers come out as if queued when the window ended
        }
        return queue(timeMillis, task);
    }

    private ScheduledTask queue(long timeMillis, Runnable task) {
        ScheduledTask t = new ScheduledTask(timeMillis, nextSequence++, task);
        queue.add(t);
        return t;
    }

    void post(int toLane, long timeMillis, Runnable task) {
        outboxes[parity][toLane].add(timeMillis, task);
    }

    void setLanes(Lane[] all) {
        this.all = all;
    }

    /**
     * Queues what the lanes sent this one in the last window, sender by sender in lane order and
     * each in the order sent: on the thread that runs this lane next, where its queue is in cache.
     */
    void takeInbound() {
        inboundWaiting = false;
        int last = parity ^ 1;
        for (Lane from : all) {
            from.outboxes[last][index].drainInto(this);
        }
    }

    void deferToWorld(Runnable task) {
        afterWindow.add(task);
    }

    /** The time of this lane's first event, or {@link Long#MAX_VALUE}. */
    long firstTime() {
        long first = queue.isEmpty() ? Long.MAX_VALUE : queue.firstTime();
        if (inboundWaiting) {
            int last = parity ^ 1;
            for (Lane from : all) {
                first = Math.min(first, from.outboxes[last][index].firstTime);
            }
        }
        return first;
    }

    /** Runs this lane's events due before {@code endMillis} (exclusive), on the calling thread. */
    void runBefore(long endMillis) {
        if (inboundWaiting) {
            takeInbound();
        }
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
        for (Outbox[] byLane : outboxes) {
            for (Outbox o : byLane) {
                n += o.size;
            }
        }
        return n;
    }

    /** Tasks for another lane, kept in the order they were posted. */
    private static final class Outbox {
        private long[] times = new long[64];
        private Runnable[] tasks = new Runnable[64];
        private int size;
        /** The earliest time held, or Long.MAX_VALUE. */
        long firstTime = Long.MAX_VALUE;

        void add(long time, Runnable task) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                tasks = Arrays.copyOf(tasks, size * 2);
            }
            times[size] = time;
            tasks[size++] = task;
            firstTime = Math.min(firstTime, time);
        }

        void drainInto(Lane to) {
            for (int i = 0; i < size; i++) {
                to.queue(times[i], tasks[i]);
                tasks[i] = null;
            }
            size = 0;
            firstTime = Long.MAX_VALUE;
        }
    }
}
