package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Heals partitions: remembers the contacts that left the routing table (they stopped answering,
 * maybe because the network between us was cut) and a few bootstrap seeds, and pings them again
 * until they answer. Whoever answers goes back in the table, and lookups across the former cut
 * work again: one answer across it is enough to start, the answers to lookups bring the rest.
 * Without this, two halves that lost each other would not meet again: a bucket refresh looks up
 * through contacts on our own side of the cut.
 *
 * <p>Cost, and the trade-off taken. Most contacts that leave a table left the network (churn):
 * in the simulator's 10,000-peer hour under churn, 96% of the pings to lost contacts went
 * unanswered, and pinging each lost contact every 10 s for 30 minutes would have added tens of
 * millions of datagrams and events. Churn takes contacts one at a time, or silent ones in a clump
 * when a ping sweep finds them gone; a cut takes many lively ones at once. So a lost contact is
 * pinged only when it left in a burst: it and others heard from within the last
 * {@link #RECENTLY_SEEN_MILLIS}, at least {@link #BURST_LOSSES} and an eighth of the table, lost
 * within {@link #BURST_WINDOW_MILLIS}. Then each backs off on its own, pinged about
 * {@link #PERIOD_MILLIS} after it was lost, then about twice as long after each silence, and
 * given up after {@link #MAX_PINGS} unanswered pings (about ten minutes). A cut that took fewer
 * of our contacts than a burst, or lasted longer than that, is healed by the first
 * {@link #STANDING_SEEDS} seeds (the bootstrap peers the operator named first): each is pinged
 * the same way whenever it is out of the table, up to {@link #SEED_MAX_INTERVAL_MILLIS} apart
 * (about 21 minutes), and never given up. A cut of T is thus seen healed within about T of the
 * heal (at most about 21 minutes), usually sooner since any one answer will do.
 *
 * <p>Ping times sit on a grid: an interval of 10 s x 2^n falls on multiples of itself, so
 * addresses at different stages of their back-off are pinged in the same round, and their
 * timeouts come due together. Rounds run on one timer per node, at least {@link #PERIOD_MILLIS}
 * apart, armed only while some address is due; at most {@link #PINGS_PER_ROUND} pings a round
 * (the rest wait for the next, least recently pinged first).
 */
final class Rejoin {
    /** The first ping after a loss comes about this long after it; rounds are at least this far apart. */
    static final long PERIOD_MILLIS = 10_000;
    /** The longest wait between two pings of a lost contact: before its last one (10 s x 2^5). */
    static final long MAX_INTERVAL_MILLIS = PERIOD_MILLIS << 5;
    /** The longest wait between two pings of a standing seed out of the table (10 s x 2^7). */
    static final long SEED_MAX_INTERVAL_MILLIS = PERIOD_MILLIS << 7;
    /** Unanswered pings after which a lost contact is given up (standing seeds never are). */
    static final int MAX_PINGS = 6;
    /** Losses within {@link #BURST_WINDOW_MILLIS} that look like a cut rather than churn. */
    static final int BURST_LOSSES = 4;
    static final long BURST_WINDOW_MILLIS = 60_000;
    /** A burst also takes at least this share of the contacts we had (1/8). */
    static final int BURST_SHARE = 8;
    /** A contact silent for longer than this when it left is no sign of a cut (a ping sweep's dead). */
    static final long RECENTLY_SEEN_MILLIS = 5 * 60_000L;
    /** Seeds pinged whenever they are out of the table, first given first. */
    static final int STANDING_SEEDS = 3;
    /** Lost contacts remembered at once; the least recently lost or pinged is forgotten first. */
    static final int MAX_REMEMBERED = 64;
    static final int PINGS_PER_ROUND = 8;

    /** One address that may be pinged until it answers. */
    private static final class Target {
        final boolean standing;
        /** Its node id when known (a seed's, once it answered). */
        NodeId id;
        long lostAt;
        int pings;
        long interval;
        /** When it is next pinged; {@code Long.MAX_VALUE} while asleep. */
        long nextAt = Long.MAX_VALUE;

        Target(boolean standing) {
            this.standing = standing;
        }

        boolean asleep() {
            return nextAt == Long.MAX_VALUE;
        }

        void wake(long now) {
            pings = 0;
            interval = PERIOD_MILLIS;
            nextAt = onGrid(now, interval);
        }

        void sleep() {
            nextAt = Long.MAX_VALUE;
        }

        /** Pinged now: wait about twice as long for the next one. */
        void pinged(long now) {
            pings++;
            interval = Math.min(2 * interval, standing ? SEED_MAX_INTERVAL_MILLIS : MAX_INTERVAL_MILLIS);
            nextAt = onGrid(now, interval);
        }
    }

    /** The first multiple of {@code interval} at least half an interval after {@code now}: on average, an interval. */
    static long onGrid(long now, long interval) {
        long t = now + interval / 2;
        return Math.floorDiv(t + interval - 1, interval) * interval;
    }

    private final Environment env;
    private final RoutingTable table;
    private final Consumer<InetSocketAddress> ping;
    /** Least recently lost or pinged first (a target lost again or pinged moves to the end). */
    private final LinkedHashMap<InetSocketAddress, Target> targets = new LinkedHashMap<>();
    private List<InetSocketAddress> seeds = List.of();
    private int lostCount;
    private boolean running;
    private Cancellable timer;
    private long timerAt = Long.MAX_VALUE;
    private long lastRound = Long.MIN_VALUE / 2;
    private final Runnable onRound = this::round;

    /** @param ping pings an address; when a node answers there, {@link #answered} is to be called */
    Rejoin(Environment env, RoutingTable table, Consumer<InetSocketAddress> ping) {
        this.env = env;
        this.table = table;
        this.ping = ping;
    }

    /** The bootstrap addresses, in the order given. */
    List<InetSocketAddress> seeds() {
        return seeds;
    }

    /** Addresses remembered now, standing seeds included (for tests). */
    int remembered() {
        return targets.size();
    }

    void start() {
        running = true;
        wakeAtEarliestDue();
    }

    void stop() {
        running = false;
        stopTimer();
    }

    /**
     * Our bootstrap addresses. The first {@link #STANDING_SEEDS} are pinged until they answer, and
     * again whenever they leave the table.
     */
    void seeds(List<InetSocketAddress> bootstrap) {
        seeds = List.copyOf(bootstrap);
        long now = env.nowMillis();
        for (InetSocketAddress s : seeds.subList(0, Math.min(STANDING_SEEDS, seeds.size()))) {
            Target t = targets.get(s);
            if (t == null || !t.standing) {
                lostCount -= t == null ? 0 : 1;
                t = new Target(true);
                t.wake(now);
                targets.put(s, t);
            }
        }
        wakeAtEarliestDue();
    }

    /** A contact left the routing table; it was last heard from at {@code lastSeenMillis}. */
    void lost(Contact c, long lastSeenMillis) {
        long now = env.nowMillis();
        Target t = targets.get(c.address());
        if ((t == null || !t.standing) && now - lastSeenMillis > RECENTLY_SEEN_MILLIS) {
            return; // long silent: most likely gone, and no sign of a cut
        }
        targets.remove(c.address());
        if (t == null) {
            forgetStaleLosses(now);
            if (lostCount >= MAX_REMEMBERED) {
                forgetOldestLoss();
            }
            t = new Target(false);
            lostCount++;
        }
        t.id = c.id();
        t.lostAt = now;
        targets.put(c.address(), t);
        if (t.standing) {
            t.wake(now);
        } else {
            t.sleep();
            wakeBurst(now);
        }
        wakeAtEarliestDue();
    }

    /** Node {@code id} answered us from {@code from}: a lost contact there is found; a seed rests. */
    void answered(InetSocketAddress from, NodeId id) {
        Target t = targets.get(from);
        if (t == null) {
            return;
        }
        if (t.standing) {
            t.id = id;
            t.sleep();
        } else {
            targets.remove(from);
            lostCount--;
        }
    }

    /** When this loss makes a burst, wakes every contact lost in it that sleeps. */
    private void wakeBurst(long now) {
        int recent = 0;
        for (Target t : targets.values()) {
            recent += !t.standing && now - t.lostAt <= BURST_WINDOW_MILLIS ? 1 : 0;
        }
        if (recent < Math.max(BURST_LOSSES, (table.size() + recent) / BURST_SHARE)) {
            return;
        }
        for (Target t : targets.values()) {
            if (!t.standing && t.asleep() && now - t.lostAt <= BURST_WINDOW_MILLIS) {
                t.wake(now);
            }
        }
    }

    /** Sleeping losses older than a burst window can no longer be part of one. */
    private void forgetStaleLosses(long now) {
        for (Iterator<Target> it = targets.values().iterator(); it.hasNext(); ) {
            Target t = it.next();
            if (!t.standing && t.asleep() && now - t.lostAt > BURST_WINDOW_MILLIS) {
                it.remove();
                lostCount--;
            }
        }
    }

    private void forgetOldestLoss() {
        for (Iterator<Target> it = targets.values().iterator(); it.hasNext(); ) {
            if (!it.next().standing) {
                it.remove();
                lostCount--;
                return;
            }
        }
    }

    /** The timer: pings the addresses due, least recently pinged first, then waits for the next one due. */
    private void round() {
        timer = null;
        timerAt = Long.MAX_VALUE;
        if (!running) {
            return;
        }
        long now = env.nowMillis();
        lastRound = now;
        List<InetSocketAddress> due = new ArrayList<>();
        for (Iterator<Map.Entry<InetSocketAddress, Target>> it = targets.entrySet().iterator();
                it.hasNext() && due.size() < PINGS_PER_ROUND; ) {
            Map.Entry<InetSocketAddress, Target> e = it.next();
            Target t = e.getValue();
            if (t.nextAt > now) {
                continue;
            }
            boolean back = t.id != null && table.contains(t.id); // back in the table by other means
            if (back) {
                t.sleep();
            } else {
                due.add(e.getKey());
                t.pinged(now);
            }
            if (!t.standing && (back || t.pings >= MAX_PINGS)) {
                it.remove(); // back, or given up after its last ping: most likely it left the network
                lostCount--;
            }
        }
        for (InetSocketAddress a : due) {
            Target t = targets.remove(a);
            if (t != null) {
                targets.put(a, t); // round robin: the pinged go to the back
            }
        }
        for (InetSocketAddress a : due) {
            ping.accept(a);
        }
        wakeAtEarliestDue();
    }

    private void wakeAtEarliestDue() {
        long earliest = Long.MAX_VALUE;
        for (Target t : targets.values()) {
            earliest = Math.min(earliest, t.nextAt);
        }
        if (earliest != Long.MAX_VALUE) {
            wakeBy(earliest);
        }
    }

    /** Makes sure a round runs no later than {@code due} (and no sooner than a period after the last). */
    private void wakeBy(long due) {
        if (!running) {
            return;
        }
        long at = Math.max(due, lastRound + PERIOD_MILLIS);
        if (at < timerAt) {
            stopTimer();
            timerAt = at;
            timer = env.schedule(Math.max(0, at - env.nowMillis()), onRound);
        }
    }

    private void stopTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        timerAt = Long.MAX_VALUE;
    }
}
