package dev.p2p.sim.engine;

import java.util.Random;

/**
 * The discrete-event engine: a virtual clock in milliseconds, the world's queue of tasks
 * ordered by (time, sequence number), the hosts' lanes, and the run's one seeded generator.
 * Nothing here sleeps or reads the wall clock, so a seed replays a run exactly.
 *
 * <p>Two kinds of events. The world's (churn, workload, metrics; {@link #schedule}) may touch
 * anything and run one at a time, before any lane event of the same millisecond. A host's
 * (its timers, datagrams arriving to it; {@link Lane}) touch that host only, and run in its
 * lane. Lanes advance together in windows as long as the shortest one-way delay of the network
 * (the lookahead, see {@link #limitLookahead}), up to the world's next event: nothing sent in a
 * window can arrive within it, so the lanes of one window may run on different threads, and the
 * outcome is the same on one thread or several. The lane count is fixed ({@link #LANES}) so
 * results never depend on the machine.
 */
public final class Simulation {
    /** How many lanes the hosts are dealt into (by host number); part of what a seed means. */
    public static final int LANES = 8;

    private final EventQueue queue = new EventQueue();
    private final Random random;
    private final Lane[] lanes = new Lane[LANES];
    private final int threads;
    /** Windows with fewer events than this on average run on one thread: handing over would cost more. */
    private double parallelFromEventsPerWindow = 8;
    /** Events per window, averaged over the last few hundred windows. */
    private double eventsPerWindow;
    private long lookaheadMillis = Long.MAX_VALUE / 4;
    private long nowMillis;
    private long nextSequence;
    private long eventsRun;
    /** While lanes run a window: the window's end (exclusive); else -1. */
    private long windowEnd = -1;

    /** An engine that runs its lanes on the calling thread. */
    public Simulation(long seed) {
        this(seed, 1);
    }

    /**
     * An engine that runs its lanes' windows on up to {@code threads} threads (no more than the
     * machine's cores); the results are the same for any count.
     */
    public Simulation(long seed, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.random = new SplitMixRandom(seed);
        for (int i = 0; i < LANES; i++) {
            lanes[i] = new Lane(i, LANES, new SplitMixRandom(random.nextLong()));
        }
        for (Lane l : lanes) {
            l.setLanes(lanes);
        }
        // Never more threads than cores: a helper spinning for a thread that has no core stalls both.
        this.threads = Math.min(Math.min(threads, LANES), Runtime.getRuntime().availableProcessors());
    }

    /**
     * Windows run on several threads only while they average at least {@code events} events (0:
     * always, for tests); below that the handover between threads costs more than it saves.
     */
    public void parallelFromEventsPerWindow(double events) {
        parallelFromEventsPerWindow = events;
    }

    /** Now, as seen by the caller: its lane's clock inside a window, the world's clock otherwise. */
    public long nowMillis() {
        Lane l = Lane.current();
        return l == null ? nowMillis : l.nowMillis;
    }

    /** The run's generator, for the world's draws; every other generator (one per node) is seeded from it. */
    public Random random() {
        return random;
    }

    /** A new generator whose seed is the next draw of the run's generator. */
    public Random newChildRandom() {
        return new SplitMixRandom(random.nextLong());
    }

    /** Lane number {@code index} ({@code 0 <= index < LANES}). */
    public Lane lane(int index) {
        return lanes[index];
    }

    /**
     * Promises that whatever one lane hands to another ({@link #post}) is due at least
     * {@code millis} after the sender's now; the engine uses the smallest promise made.
     */
    public void limitLookahead(long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("lookahead must be >= 1 ms, got " + millis);
        }
        lookaheadMillis = Math.min(lookaheadMillis, millis);
    }

    /**
     * Hands {@code task} to lane {@code to}, due at {@code timeMillis}, from an event of lane
     * {@code from} (or from the world's context).
     */
    public void post(Lane from, Lane to, long timeMillis, Runnable task) {
        if (windowEnd < 0 || from == to) {
            if (timeMillis < to.nowMillis) {
                throw new IllegalArgumentException("cannot schedule in the past: " + timeMillis + " < " + to.nowMillis);
            }
            to.insert(timeMillis, task);
        } else if (timeMillis < windowEnd) {
            throw new IllegalStateException("a lane handed another a task due within the window (" + timeMillis
                    + " < " + windowEnd + "): the lookahead promise was broken");
        } else {
            from.post(to.index, timeMillis, task);
        }
    }

    /**
     * Runs {@code task} in the world's context: at once when called there, else once the
     * current window ends (in lane order, then in the order handed over), which is where an
     * event of one host may change what the whole world sees.
     */
    public void inWorld(Runnable task) {
        Lane l = Lane.current();
        if (l == null) {
            task.run();
        } else {
            l.deferToWorld(task);
        }
    }

    /** Runs the world's {@code task} {@code delayMillis} from now (0 means after the tasks already due now). */
    public ScheduledTask schedule(long delayMillis, Runnable task) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delayMillis);
        }
        return scheduleAt(nowMillis + delayMillis, task);
    }

    public ScheduledTask scheduleAt(long timeMillis, Runnable task) {
        if (Lane.current() != null) {
            throw new IllegalStateException("a host's event cannot schedule the world's; hand it over with inWorld");
        }
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
        LaneThreads helpers = threads > 1 ? new LaneThreads(lanes, threads) : null;
        try {
            while (true) {
                long world = queue.isEmpty() ? Long.MAX_VALUE : queue.firstTime();
                long lane = firstLaneTime();
                if (Math.min(world, lane) > endMillis) {
                    break;
                }
                if (world <= lane) {
                    setClocks(world);
                    if (queue.poll().run()) {
                        eventsRun++;
                    }
                } else {
                    // Up to the lookahead past the first lane event, never past the world's next event or endMillis.
                    long room = endMillis - lane;
                    runWindow(Math.min(world, lane + (room >= lookaheadMillis ? lookaheadMillis : room + 1)), helpers);
                }
            }
        } finally {
            if (helpers != null) {
                helpers.stop();
            }
        }
        setClocks(Math.max(nowMillis, endMillis));
    }

    private void runWindow(long end, LaneThreads helpers) {
        windowEnd = end;
        long before = laneEventsRun();
        try {
            if (helpers != null && eventsPerWindow >= parallelFromEventsPerWindow) {
                helpers.runWindow(end);
            } else {
                for (Lane l : lanes) {
                    l.runBefore(end);
                }
            }
        } finally {
            windowEnd = -1;
        }
        eventsPerWindow += (laneEventsRun() - before - eventsPerWindow) / 256;
        // What lanes sent each other is queued by each receiving lane when next touched, on the
        // thread that runs it (or before the world adds to it): not here, by this thread alone.
        for (Lane l : lanes) {
            l.parity ^= 1;
            l.inboundWaiting = true;
        }
        setClocks(end - 1);
        for (Lane l : lanes) {
            l.runAfterWindow();
        }
    }

    private long firstLaneTime() {
        long first = Long.MAX_VALUE;
        for (Lane l : lanes) {
            first = Math.min(first, l.firstTime());
        }
        return first;
    }

    private void setClocks(long time) {
        nowMillis = time;
        for (Lane l : lanes) {
            l.nowMillis = time;
        }
    }

    /** Tasks run so far (cancelled ones are not counted). */
    public long eventsRun() {
        return eventsRun + laneEventsRun();
    }

    private long laneEventsRun() {
        long n = 0;
        for (Lane l : lanes) {
            n += l.eventsRun();
        }
        return n;
    }

    /** Tasks waiting, cancelled ones included until their time comes. */
    public int pending() {
        int n = queue.size();
        for (Lane l : lanes) {
            n += l.pending();
        }
        return n;
    }
}
