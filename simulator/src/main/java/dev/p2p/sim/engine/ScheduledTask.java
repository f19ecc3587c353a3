package dev.p2p.sim.engine;

/**
 * One event in the queue: a task due at a virtual time. Equal times run in the order they were
 * scheduled (the sequence number), never in hash or allocation order.
 */
public final class ScheduledTask {
    final long timeMillis;
    final long sequence;
    private final EventQueue queue;
    private Runnable task;
    /** Its slot in the queue's heap, -1 once it left the queue. */
    int heapIndex = -1;

    ScheduledTask(long timeMillis, long sequence, Runnable task, EventQueue queue) {
        this.timeMillis = timeMillis;
        this.sequence = sequence;
        this.task = task;
        this.queue = queue;
    }

    /** Keeps the task from running and takes it out of the queue. */
    public void cancel() {
        task = null;
        queue.remove(this);
    }

    public boolean isCancelled() {
        return task == null;
    }

    public long timeMillis() {
        return timeMillis;
    }

    boolean runsBefore(ScheduledTask other) {
        return timeMillis < other.timeMillis
                || (timeMillis == other.timeMillis && sequence < other.sequence);
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
