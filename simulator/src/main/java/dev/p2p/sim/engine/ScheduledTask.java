package dev.p2p.sim.engine;

import dev.p2p.dht.Cancellable;

/**
 * One event in the queue: a task due at a virtual time. Equal times run in the order they were
 * scheduled (the sequence number), never in hash or allocation order. It is the DHT's
 * {@link Cancellable} itself, so a node's timers (one per request) need no wrapper object.
 */
public final class ScheduledTask implements Cancellable {
    final long timeMillis;
    final long sequence;
    private Runnable task;

    ScheduledTask(long timeMillis, long sequence, Runnable task) {
        this.timeMillis = timeMillis;
        this.sequence = sequence;
        this.task = task;
    }

    /** Keeps the task from running; it stays queued until its time and is then skipped. */
    @Override
    public void cancel() {
        task = null;
    }

    public boolean isCancelled() {
        return task == null;
    }

    public long timeMillis() {
        return timeMillis;
    }

    /** Runs the task unless cancelled; answers whether it ran. */
    boolean run() {
        Runnable r = task;
        if (r == null) {
            return false;
        }
        task = null;
        r.run();
        return true;
    }
}
