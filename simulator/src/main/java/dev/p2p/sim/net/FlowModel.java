package dev.p2p.sim.net;

import dev.p2p.dht.Cancellable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Bandwidth shared between connections, flow by flow, max-min fair. Each host has an uplink and a
 * downlink capacity; each direction of a connection is a {@link Pipe} that carries its messages in
 * order, one at a time, like a TCP stream. While a pipe has bytes to send it is a flow through its
 * sender's uplink and its receiver's downlink, and the flows' rates are the max-min fair
 * allocation over all links (progressive filling): no flow can go faster without slowing one that
 * is no faster. Rates change only when a pipe starts or stops having bytes to send; then every
 * pipe's progress is brought up to date and the allocation is computed again, once per
 * millisecond at most. One timer, due when the first message in progress is through, serves
 * every pipe.
 *
 * <p>A message of at most {@link #SMALL_BYTES} on a pipe with no flow (a REQUEST, a HAVE, a
 * REFUSE) is not made a flow: it takes its bytes' time at the smaller of the two links'
 * capacities, without contention, as a short packet on an uncongested path does. Reallocating every
 * flow twice for each such message was most of a flash crowd's cost. Order stays: small messages
 * on a pipe are through one after the other, and a larger message behind them joins the flows
 * only once they are through.
 *
 * <p>Not thread-safe: the model couples every host's rates, so all pipes live in one engine lane.
 */
public final class FlowModel {
    /** What the model needs from the engine: the time and one timer. */
    public interface Clock {
        long nowMillis();

        Cancellable schedule(long delayMillis, Runnable task);
    }

    private static final double DONE = 1e-6; // bytes: float residue below this counts as sent
    /** Messages up to this size on a pipe without a flow are not flows themselves. */
    public static final long SMALL_BYTES = 1024;
    private final Clock clock;
    private final List<Pipe> active = new ArrayList<>();
    private long updatedAtMillis;
    private boolean reallocationDue;
    /** A tick is armed for this very millisecond. */
    private boolean tickDue;
    /** Callbacks of messages through, to run at the next tick. */
    private final List<Runnable> done = new ArrayList<>();
    private Cancellable timer;
    private long reallocations;
    private final ShareHeap heap = new ShareHeap();
    /** The last allocation gave some pipe an unlimited rate (both its ends unlimited). */
    private boolean anyUnlimited;

    public FlowModel(Clock clock) {
        this.clock = clock;
        this.updatedAtMillis = clock.nowMillis();
    }

    /** A host's two links, in bytes per second; 0 means unlimited. */
    public static final class Links {
        final double upBytesPerMilli;
        final double downBytesPerMilli;
        /** Active pipes out of and into this host. */
        final List<Pipe> outgoing = new ArrayList<>();
        final List<Pipe> incoming = new ArrayList<>();
        // progressive filling's scratch state
        double upLeft;
        double downLeft;
        int upFlows;
        int downFlows;
        long upQueuedIn = -1; // the allocation whose heap holds this uplink already
        long downQueuedIn = -1;

        /** The uplink's capacity in bytes per second; infinite when unlimited. */
        public double upBytesPerSecond() {
            return upBytesPerMilli * 1000;
        }

        /** The downlink's capacity in bytes per second; infinite when unlimited. */
        public double downBytesPerSecond() {
            return downBytesPerMilli * 1000;
        }

        public Links(long upBytesPerSecond, long downBytesPerSecond) {
            if (upBytesPerSecond < 0 || downBytesPerSecond < 0) {
                throw new IllegalArgumentException("capacities must be >= 0");
            }
            this.upBytesPerMilli = upBytesPerSecond == 0 ? Double.POSITIVE_INFINITY : upBytesPerSecond / 1000.0;
            this.downBytesPerMilli = downBytesPerSecond == 0 ? Double.POSITIVE_INFINITY : downBytesPerSecond / 1000.0;
        }
    }

    /** One direction of one connection: messages from {@code from} to {@code to}, in order. */
    public final class Pipe {
        final Links from;
        final Links to;
        private final ArrayDeque<Message> queue = new ArrayDeque<>();
        double rateBytesPerMilli;
        boolean frozen;
        /** When the last small message sent outside the flows is through. */
        private long smallUntilMillis = Long.MIN_VALUE;
        private final ArrayDeque<Cancellable> smallInFlight = new ArrayDeque<>();
        /** Messages waiting for the small ones before them, to join the flows. */
        private final ArrayDeque<Message> held = new ArrayDeque<>();
        private Cancellable release;

        Pipe(Links from, Links to) {
            this.from = from;
            this.to = to;
        }

        /**
         * Queues {@code bytes}; {@code sent} runs when the last of them has left the sender and
         * crossed the receiver's downlink (the propagation delay is the caller's to add).
         */
        public void send(long bytes, Runnable sent) {
            Message m = new Message(Math.max(1, bytes), sent);
            long now = clock.nowMillis();
            if (!held.isEmpty()) {
                held.add(m);
            } else if (queue.isEmpty() && bytes <= SMALL_BYTES) {
                sendSmall(m, now);
            } else if (queue.isEmpty() && smallUntilMillis > now) {
                held.add(m);
                release = clock.schedule(smallUntilMillis - now, this::release);
            } else {
                enqueue(m);
            }
        }

        private void sendSmall(Message m, long now) {
            double capacity = Math.min(from.upBytesPerMilli, to.downBytesPerMilli);
            long transit = capacity == Double.POSITIVE_INFINITY ? 0 : (long) Math.ceil(m.left / capacity);
            smallUntilMillis = Math.max(now, smallUntilMillis) + transit;
            smallInFlight.add(clock.schedule(smallUntilMillis - now, () -> {
                smallInFlight.poll();
                m.sent.run();
            }));
        }

        /** The small messages before the held ones are through: the held ones join the flows. */
        private void release() {
            release = null;
            while (!held.isEmpty()) {
                enqueue(held.poll());
            }
        }

        private void enqueue(Message m) {
            boolean wasIdle = queue.isEmpty();
            queue.add(m);
            if (wasIdle) {
                changed();
                activate(this);
            }
        }

        /** Drops what is queued (the connection is gone); no callback runs. */
        public void clear() {
            smallInFlight.forEach(Cancellable::cancel);
            smallInFlight.clear();
            held.clear();
            if (release != null) {
                release.cancel();
                release = null;
            }
            if (!queue.isEmpty()) {
                changed();
                if (!queue.isEmpty()) {
                    queue.clear();
                    deactivate(active.indexOf(this));
                }
            }
        }

        /** The rate now, in bytes per second (0 while idle). */
        public double bytesPerSecond() {
            return queue.isEmpty() ? 0 : rateBytesPerMilli * 1000;
        }

        public boolean isIdle() {
            return queue.isEmpty() && held.isEmpty() && smallInFlight.isEmpty();
        }
    }

    private static final class Message {
        double left;
        final Runnable sent;

        Message(long bytes, Runnable sent) {
            this.left = bytes;
            this.sent = sent;
        }
    }

    private void activate(Pipe p) {
        active.add(p);
        p.from.outgoing.add(p);
        p.to.incoming.add(p);
    }

    private void deactivate(int index) {
        Pipe p = active.get(index);
        active.set(index, active.get(active.size() - 1));
        active.remove(active.size() - 1);
        p.from.outgoing.remove(p);
        p.to.incoming.remove(p);
        reallocationDue = true;
    }

    /** A new pipe from the host with links {@code from} to the one with {@code to}. */
    public Pipe pipe(Links from, Links to) {
        return new Pipe(from, to);
    }

    /** Times the allocation was computed: a cost figure. */
    public long reallocations() {
        return reallocations;
    }

    /** The set of flows is about to change: bring progress up to date, and reallocate at the end of this millisecond. */
    private void changed() {
        advance();
        reallocationDue = true;
        if (!tickDue) {
            tickDue = true;
            rearm(0);
        }
    }

    private void rearm(long delayMillis) {
        if (timer != null) {
            timer.cancel();
        }
        timer = clock.schedule(delayMillis, this::tick);
    }

    private void tick() {
        timer = null;
        tickDue = false;
        advance();
        if (reallocationDue) {
            allocate();
        }
        armForNextCompletion();
        List<Runnable> through = List.copyOf(done);
        done.clear();
        for (Runnable r : through) {
            r.run(); // may queue more, which reallocates once more at this millisecond
        }
    }

    /** Moves every pipe forward to now at its rate; the callbacks of messages now through wait for the tick. */
    private void advance() {
        long now = clock.nowMillis();
        long elapsed = now - updatedAtMillis;
        updatedAtMillis = now;
        if (elapsed == 0 && !anyUnlimited) {
            return; // nothing moved since the last call (a message is never shorter than a byte, so none is through)
        }
        for (int i = 0; i < active.size(); i++) {
            Pipe p = active.get(i);
            double progress = p.rateBytesPerMilli == Double.POSITIVE_INFINITY ? p.rateBytesPerMilli
                    : elapsed * p.rateBytesPerMilli;
            while (!p.queue.isEmpty()) {
                Message m = p.queue.peek();
                double take = Math.min(progress, m.left);
                m.left -= take;
                progress -= take;
                if (m.left > DONE) {
                    break;
                }
                p.queue.poll();
                done.add(m.sent);
            }
            if (p.queue.isEmpty()) {
                deactivate(i);
                i--;
            }
        }
    }

    /** Progressive filling: raise every flow's rate together; a link that fills freezes the flows through it. */
    private void allocate() {
        reallocationDue = false;
        reallocations++;
        for (Pipe p : active) {
            p.frozen = false;
            p.from.upLeft = p.from.upBytesPerMilli;
            p.from.upFlows = 0;
            p.to.downLeft = p.to.downBytesPerMilli;
            p.to.downFlows = 0;
        }
        for (Pipe p : active) {
            p.from.upFlows++;
            p.to.downFlows++;
        }
        // each link's fair share so far, once per link; shares only grow as other links freeze
        // flows, so a stale entry is put back with its present share when it comes up (a lazy heap)
        ShareHeap shares = heap;
        shares.clear();
        for (Pipe p : active) {
            if (p.from.upQueuedIn != reallocations && p.from.upLeft < Double.POSITIVE_INFINITY) {
                p.from.upQueuedIn = reallocations;
                shares.add(p.from.upLeft / p.from.upFlows, p.from, true);
            }
            if (p.to.downQueuedIn != reallocations && p.to.downLeft < Double.POSITIVE_INFINITY) {
                p.to.downQueuedIn = reallocations;
                shares.add(p.to.downLeft / p.to.downFlows, p.to, false);
            }
        }
        int unfrozen = active.size();
        while (unfrozen > 0 && !shares.isEmpty()) {
            double share = shares.topShare();
            Links links = shares.topLinks();
            boolean up = shares.topUp();
            shares.removeTop();
            int flows = up ? links.upFlows : links.downFlows;
            if (flows == 0) {
                continue;
            }
            double now = (up ? links.upLeft : links.downLeft) / flows;
            if (now > share + 1e-12) {
                shares.add(now, links, up);
                continue;
            }
            for (Pipe p : up ? links.outgoing : links.incoming) {
                if (!p.frozen) {
                    p.frozen = true;
                    p.rateBytesPerMilli = now;
                    unfrozen--;
                    p.from.upLeft -= now;
                    p.from.upFlows--;
                    p.to.downLeft -= now;
                    p.to.downFlows--;
                }
            }
        }
        anyUnlimited = false;
        for (Pipe p : active) {
            if (!p.frozen) { // both ends unlimited
                p.rateBytesPerMilli = Double.POSITIVE_INFINITY;
                anyUnlimited = true;
            }
        }
    }

    /**
     * A binary min-heap of (share, link, direction) in parallel arrays, equal shares in the order
     * added: progressive filling's queue without an object per entry.
     */
    private static final class ShareHeap {
        private double[] shares = new double[64];
        private long[] order = new long[64];
        private Links[] links = new Links[64];
        private boolean[] up = new boolean[64];
        private int size;
        private long added;

        void clear() {
            java.util.Arrays.fill(links, 0, size, null);
            size = 0;
            added = 0;
        }

        boolean isEmpty() {
            return size == 0;
        }

        double topShare() {
            return shares[0];
        }

        Links topLinks() {
            return links[0];
        }

        boolean topUp() {
            return up[0];
        }

        void add(double share, Links l, boolean isUp) {
            if (size == shares.length) {
                int n = 2 * size;
                shares = java.util.Arrays.copyOf(shares, n);
                order = java.util.Arrays.copyOf(order, n);
                links = java.util.Arrays.copyOf(links, n);
                up = java.util.Arrays.copyOf(up, n);
            }
            int i = size++;
            long o = added++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!less(share, o, shares[parent], order[parent])) {
                    break;
                }
                move(parent, i);
                i = parent;
            }
            put(i, share, o, l, isUp);
        }

        void removeTop() {
            int last = --size;
            double share = shares[last];
            long o = order[last];
            Links l = links[last];
            boolean isUp = up[last];
            links[last] = null;
            if (last == 0) {
                return;
            }
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= last) {
                    break;
                }
                if (child + 1 < last && less(shares[child + 1], order[child + 1], shares[child], order[child])) {
                    child++;
                }
                if (!less(shares[child], order[child], share, o)) {
                    break;
                }
                move(child, i);
                i = child;
            }
            put(i, share, o, l, isUp);
        }

        /** True when share {@code a}, added as {@code ao}, comes before {@code b}, added as {@code bo}. */
        private static boolean less(double a, long ao, double b, long bo) {
            return a < b || a == b && ao < bo;
        }

        private void move(int from, int to) {
            put(to, shares[from], order[from], links[from], up[from]);
        }

        private void put(int i, double share, long o, Links l, boolean isUp) {
            shares[i] = share;
            order[i] = o;
            links[i] = l;
            up[i] = isUp;
        }
    }

    private void armForNextCompletion() {
        double soonest = Double.POSITIVE_INFINITY;
        for (Pipe p : active) {
            soonest = Math.min(soonest, p.queue.peek().left / p.rateBytesPerMilli);
        }
        if (!active.isEmpty()) { // at least a millisecond on: a message's last byte is never due "now"
            rearm(Math.max(1, (long) Math.ceil(soonest - 1e-9)));
        }
    }
}
