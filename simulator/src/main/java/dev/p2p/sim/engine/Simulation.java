package dev.p2p.sim.engine;

import java.util.Random;

/**
 * The discrete-event engine: a virtual clock in milliseconds, a queue of tasks ordered by
 * (time, sequence number) and the run's one seeded generator. Single-threaded; nothing here
 * sleeps or reads the wall clock, so a seed replays a run exactly.
 */
public final class Simulation {
    private final EventQueue queue = new EventQueue();
    private final Random random;
    private long nowMillis;
    private long nextSequence;
    private long eventsRun;

    public Simulation(long seed) {
        this.random = new SplitMixRandom(seed);
    }

    public long nowMillis() {
        return nowMillis;
    }

    /** The run's generator; every other generator (one per node) is seeded from it. */
    public Random random() {
        return random;
    }

    /** A new generator whose seed is the next draw of the run's generator. */
    public Random newChildRandom() {
        return new SplitMixRandom(random.nextLong());
    }

    /** Runs {@code task} {@code delayMillis} from now (0 means after the tasks already due now). */
    public ScheduledTask schedule(long delayMillis, Runnable task) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delayMillis);
        }
        return scheduleAt(nowMillis + delayMillis, task);
    }

    public ScheduledTask scheduleAt(long timeMillis, Runnable task) {
        if (timeMillis < nowMillis) {
            throw new IllegalArgumentException("cannot schedule in the past: " + timeMillis + " < " + nowMillis);
        }
        ScheduledTask t = new ScheduledTask(timeMillis, nextSequence++, task);
        queue.add(t);
        return t;
    }

    /**
     * Runs every task due at or before {@code endMillis}, in order, then sets the clock to
     * {@code endMillis}. Tasks may schedule more tasks.
     */
    public void runUntil(long endMillis) {
        while (true) {
            if (queue.isEmpty() || queue.firstTime() > endMillis) {
                break;
            }
            ScheduledTask next = queue.poll();
            nowMillis = next.timeMillis;
            if (next.run()) {
                eventsRun++;
            }
        }
        nowMillis = Math.max(nowMillis, endMillis);
    }

    /** Tasks run so far (cancelled ones are not counted). */
    public long eventsRun() {
        return eventsRun;
    }

    /** Tasks waiting, cancelled ones included until their time comes. */
    public int pending() {
        return queue.size();
    }
}
