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
 * allocation over all links: no flow can go faster without slowing one that is no faster. Rates
 * change only when a pipe starts or stops having bytes to send; then the {@link MaxMinAllocator}
 * works out again the rates the change reaches, once per millisecond at most. A pipe keeps the
 * progress of its message in progress as of the last change of its rate, and the millisecond
 * that message is due; one heap of those (one engine timer, for the soonest) sees messages
 * through, so a pipe whose rate did not change costs nothing.
 *
 * <p>A message of at most {@link #SMALL_BYTES} on a pipe with no flow (a REQUEST, a HAVE, a
 * REFUSE) is not made a flow: it takes its bytes' time at the smaller of the two links'
 * capacities, without contention, as a short packet on an uncongested path does. Reallocating
 * twice for each such message was most of a flash crowd's cost. Order stays: small messages
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

    /** Milliseconds of float residue: a message due within this after a millisecond is through in it. */
    private static final double RESIDUE_MILLIS = 1e-9;
    /** Messages up to this size on a pipe without a flow are not flows themselves. */
    public static final long SMALL_BYTES = 1024;
    private final Clock clock;
    private final MaxMinAllocator allocator = new MaxMinAllocator();
    /** The pipes with a message in flight, by the millisecond it is due. */
    private final FinishHeap finishing = new FinishHeap();
    /** Callbacks of messages through, to run at the end of the tick. */
    private final List<Runnable> done = new ArrayList<>();
    private final Runnable tick = this::tick;
    private Cancellable timer;
    private long timerAtMillis;
    private long pipes;

    public FlowModel(Clock clock) {
        this.clock = clock;
    }

    /** A host's two links, in bytes per second; 0 means unlimited. */
    public static final class Links {
        final Link up;
        final Link down;

        public Links(long upBytesPerSecond, long downBytesPerSecond) {
            if (upBytesPerSecond < 0 || downBytesPerSecond < 0) {
                throw new IllegalArgumentException("capacities must be >= 0");
            }
            this.up = new Link(upBytesPerSecond == 0 ? Double.POSITIVE_INFINITY : upBytesPerSecond / 1000.0);
            this.down = new Link(downBytesPerSecond == 0 ? Double.POSITIVE_INFINITY : downBytesPerSecond / 1000.0);
        }

        /** The uplink's capacity in bytes per second; infinite when unlimited. */
        public double upBytesPerSecond() {
            return up.capacity * 1000;
        }

        /** The downlink's capacity in bytes per second; infinite when unlimited. */
        public double downBytesPerSecond() {
            return down.capacity * 1000;
        }
    }

    /** One direction of one connection: messages from {@code from} to {@code to}, in order. */
    public final class Pipe extends Flow {
        /** Breaks ties between pipes due in the same millisecond. */
        final long id = pipes++;
        private final ArrayDeque<Message> queue = new ArrayDeque<>();
        /** When the message in progress had its {@code left} bytes to go, in milliseconds with a fraction. */
        private double since;
        /** When its last byte is through at the present rate. */
        private double finishAt;
        /** The millisecond whose tick sees it through. */
        long dueMillis;
        /** Its place in {@link #finishing}; -1 when not there. */
        int heapIndex = -1;
        /** When the last small message sent outside the flows is through. */
        private long smallUntilMillis = Long.MIN_VALUE;
        private final ArrayDeque<Cancellable> smallInFlight = new ArrayDeque<>();
        /** Messages waiting for the small ones before them, to join the flows. */
        private final ArrayDeque<Message> held = new ArrayDeque<>();
        private Cancellable release;

        Pipe(Links from, Links to) {
            super(from.up, to.down);
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
            double capacity = Math.min(up.capacity, down.capacity);
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
            m.queuedAtMillis = clock.nowMillis();
            queue.add(m);
            if (queue.size() == 1) { // a flow from now on, at the rate this millisecond's tick gives it
                since = clock.nowMillis();
                rate = 0;
                allocator.add(this);
                tickNow();
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
                queue.clear();
                stop();
                tickNow();
            }
        }

        private void stop() {
            finishing.remove(this);
            allocator.remove(this);
        }

        /** Brings the message in progress up to now at the old rate, and sets when it is due at the new one. */
        @Override
        void setRate(double bytesPerMilli) {
            long now = clock.nowMillis();
            Message m = queue.peek();
            if (rate == Double.POSITIVE_INFINITY) {
                m.left = 0;
            } else if (now > since) {
                m.left = Math.max(0, m.left - (now - since) * rate);
            }
            since = now;
            super.setRate(bytesPerMilli);
            finishAt = since + m.left / rate;
            dueMillis = Math.max(now + 1, (long) Math.ceil(finishAt - RESIDUE_MILLIS));
            finishing.update(this);
        }

        /** Sees through the message in progress, and those behind it that are through by {@code now} too. */
        void finish(long now) {
            do {
                done.add(queue.poll().sent);
                if (queue.isEmpty()) {
                    stop();
                    return;
                }
                Message next = queue.peek();
                since = Math.max(finishAt, next.queuedAtMillis); // not before it was sent
                finishAt = since + next.left / rate;
            } while (finishAt - RESIDUE_MILLIS <= now);
            dueMillis = (long) Math.ceil(finishAt - RESIDUE_MILLIS);
            finishing.update(this);
        }

        /** The rate now, in bytes per second (0 while idle). */
        public double bytesPerSecond() {
            return queue.isEmpty() ? 0 : rate * 1000;
        }

        public boolean isIdle() {
            return queue.isEmpty() && held.isEmpty() && smallInFlight.isEmpty();
        }
    }

    private static final class Message {
        double left;
        final Runnable sent;
        long queuedAtMillis;

        Message(long bytes, Runnable sent) {
            this.left = bytes;
            this.sent = sent;
        }
    }

    /** A new pipe from the host with links {@code from} to the one with {@code to}. */
    public Pipe pipe(Links from, Links to) {
        return new Pipe(from, to);
    }

    /** Times the allocation was worked out: a cost figure. */
    public long reallocations() {
        return allocator.allocations();
    }

    /** The set of flows changed: a tick at this millisecond works out the rates. */
    private void tickNow() {
        long now = clock.nowMillis();
        if (timer == null || timerAtMillis != now) {
            rearm(now, now);
        }
    }

    private void rearm(long now, long atMillis) {
        if (timer != null) {
            timer.cancel();
        }
        timerAtMillis = atMillis;
        timer = clock.schedule(atMillis - now, tick);
    }

    /** Sees through the messages due now, works out the rates if flows changed, then runs the callbacks. */
    private void tick() {
        timer = null;
        long now = clock.nowMillis();
        while (!finishing.isEmpty() && finishing.top().dueMillis <= now) {
            finishing.top().finish(now);
        }
        allocator.allocate();
        if (!finishing.isEmpty()) {
            rearm(now, finishing.top().dueMillis);
        }
        List<Runnable> through = List.copyOf(done);
        done.clear();
        for (Runnable r : through) {
            r.run(); // may queue more, which reallocates once more at this millisecond
        }
    }
}
