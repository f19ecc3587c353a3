package dev.p2p.dht;

import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Request;
import dev.p2p.dht.wire.Message.Response;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Requests in flight: transaction ids, adaptive timeouts and resends. An answer counts only if it
 * comes from the address the request went to, carries its transaction id and is the right kind;
 * anything else is dropped, so a third party cannot inject answers without seeing our traffic.
 */
final class RequestTracker {
    interface Callback {
        /** The answer arrived; {@code rttMillis} is measured from the last send. */
        void onResponse(Response response, long rttMillis);

        void onTimeout();

        /**
         * The answer came after {@link #onTimeout} was called but within the grace period (the
         * ceiling timeout): the peer is slow, not gone. By default nothing more is done.
         */
        default void onLateResponse(Response response) {}
    }

    /**
     * A callback that also wants to know when an answer is later than the contact's round trips
     * predict ({@link ContactRtts#expected}): a lookup then asks someone else rather than wait out
     * the full timeout, while the request stays open and its answer still counts.
     */
    interface SlowAware extends Callback {
        /** Called at most once, before {@link #onTimeout}, and only if no answer came by then. */
        void onSlow();
    }

    /** A request in flight. */
    private final class Pending {
        final int txId;
        final InetSocketAddress to;
        final Request request;
        final Callback callback;
        /** The least an attempt waits, whatever the round trips say. */
        final long minWaitMillis;
        int attemptsLeft;
        int attemptsSent;
        long sentAt;
        /** When this attempt times out. */
        long deadline;
        /** When {@link SlowAware#onSlow} is due, or {@code Long.MAX_VALUE} when not wanted or already told. */
        long slowAt = Long.MAX_VALUE;
        /** Sends in order, so requests due in the same millisecond time out in the order sent. */
        long sendNumber;
        /** Sent more than once: an answer cannot say which send it answers (Karn), so it is not measured. */
        boolean resent;
        /** Past its timeout: kept only so a late answer is still recognised (and measured). */
        boolean late;
        /** When a late request is forgotten. */
        long lateUntil;

        Pending(int txId, InetSocketAddress to, Request request, Callback callback, int attempts, long minWaitMillis) {
            this.txId = txId;
            this.to = to;
            this.request = request;
            this.callback = callback;
            this.attemptsLeft = attempts;
            this.minWaitMillis = minWaitMillis;
        }

        void transmit() {
            // Each resend waits twice as long as the one before (RFC 6298, 5.5), up to the ceiling.
            long wait = Math.min(rtt.ceilingMillis(), Math.max(minWaitMillis, rtt.timeout(to)) << attemptsSent);
            resent = attemptsSent > 0;
            attemptsSent++;
            attemptsLeft--;
            sentAt = env.nowMillis();
            deadline = sentAt + wait;
            if (!resent && callback instanceof SlowAware) {
                slowAt = Math.min(deadline, sentAt + rtt.expected(to));
            }
            sendNumber = sends++;
            stats.messagesOut++;
            stats.requestsOut++;
            sentTo.accept(to);
            env.send(to, request);
            wakeBy(Math.min(slowAt, deadline));
        }

        /** Its deadline passed unanswered: send again, or give up on it. */
        void expire() {
            if (attemptsLeft > 0) {
                transmit();
                return;
            }
            stats.requestTimeouts++;
            stats.requestTimeoutsByType[request.kind().code]++;
            late = true;
            awaiting--;
            lateUntil = env.nowMillis() + graceMillis;
            lateOnes.add(this);
            firstLateUntil = Math.min(firstLateUntil, lateUntil);
            callback.onTimeout();
        }
    }

    private static final Comparator<Pending> BY_DEADLINE =
            Comparator.<Pending>comparingLong(p -> p.deadline).thenComparingLong(p -> p.sendNumber);

    private final Environment env;
    private final ContactRtts rtt;
    private final DhtStats stats;
    private final Consumer<InetSocketAddress> sentTo;
    private final InFlightTable<Pending> pending = new InFlightTable<>();
    /**
     * Timed-out requests in the order they are forgotten (the grace is the same for all). They are
     * dropped as later sends and answers pass by rather than by a timer each: a timer per timeout
     * was a third of all the simulator's events under churn.
     */
    private final ArrayDeque<Pending> lateOnes = new ArrayDeque<>();
    /** When the first of {@link #lateOnes} is forgotten (checked on every send and answer). */
    private long firstLateUntil = Long.MAX_VALUE;
    private final long graceMillis;
    /**
     * One timer for all requests in flight, due at the earliest deadline, rather than one per
     * request: most requests are answered, and each answered one's timer was an object and a
     * place in the simulator's event queue until its time came (the busiest part of that queue).
     */
    private Cancellable wakeUp;
    private long wakeUpAt = Long.MAX_VALUE;
    private final Runnable onWakeUp = this::expireDue;
    /** Requests sent and neither answered nor timed out. */
    private int awaiting;
    private long sends;

    /**
     * @param graceMillis how long after its timeout a request still accepts a late answer; late
     *     answers are measured too, so the timeout learns the slow tail instead of ignoring it
     */
    RequestTracker(Environment env, ContactRtts rtt, DhtStats stats, long graceMillis) {
        this(env, rtt, stats, graceMillis, to -> { });
    }

    /** @param sentTo told of the destination of every datagram sent, resends too */
    RequestTracker(Environment env, ContactRtts rtt, DhtStats stats, long graceMillis, Consumer<InetSocketAddress> sentTo) {
        this.sentTo = sentTo;
        this.env = env;
        this.rtt = rtt;
        this.stats = stats;
        this.graceMillis = graceMillis;
    }

    /** Sends a request made by {@code make} from a fresh transaction id, up to {@code attempts} times. */
    void send(InetSocketAddress to, IntFunction<Request> make, int attempts, Callback callback) {
        send(to, make, attempts, 0, callback);
    }

    /** As {@link #send(InetSocketAddress, IntFunction, int, Callback)}, each attempt waiting at least {@code minWaitMillis}. */
    void send(InetSocketAddress to, IntFunction<Request> make, int attempts, long minWaitMillis, Callback callback) {
        forgetExpiredLateOnes();
        int txId;
        do {
            txId = env.random().nextInt();
        } while (pending.containsKey(txId));
        Pending p = new Pending(txId, to, make.apply(txId), callback, attempts, minWaitMillis);
        pending.putNew(txId, p);
        awaiting++;
        p.transmit();
    }

    /** Matches an answer to its request; false when it answers nothing we asked. */
    boolean complete(InetSocketAddress from, Response response) {
        forgetExpiredLateOnes();
        Header h = response.header();
        Pending p = pending.get(h.txId());
        if (p == null || !Contact.sameAddress(p.to, from) || !Message.answers(p.request, response)) {
            return false;
        }
        pending.remove(h.txId(), p);
        if (!p.late && --awaiting == 0) {
            stopWakeUp(); // nothing left to time out
        }
        long elapsed = env.nowMillis() - p.sentAt;
        if (!p.resent) {
            rtt.sample(from, elapsed);
        }
        if (p.late) {
            stats.lateResponses++;
            p.callback.onLateResponse(response);
        } else {
            p.callback.onResponse(response, elapsed);
        }
        return true;
    }

    /** Requests waiting for an answer, late ones included. */
    int inFlight() {
        forgetExpiredLateOnes();
        return pending.size();
    }

    /** Forgets every request without calling back (the node is stopping). */
    void cancelAll() {
        stopWakeUp();
        awaiting = 0;
        pending.clear();
        lateOnes.clear();
        firstLateUntil = Long.MAX_VALUE;
    }

    /** Makes sure the timer runs no later than {@code due}. */
    private void wakeBy(long due) {
        if (due < wakeUpAt) {
            stopWakeUp();
            wakeUpAt = due;
            wakeUp = env.schedule(due - env.nowMillis(), onWakeUp);
        }
    }

    private void stopWakeUp() {
        if (wakeUp != null) {
            wakeUp.cancel();
            wakeUp = null;
        }
        wakeUpAt = Long.MAX_VALUE;
    }

    /** The timer: expires every request whose deadline has come, in deadline order, then waits for the next. */
    private void expireDue() {
        wakeUp = null;
        wakeUpAt = Long.MAX_VALUE;
        long now = env.nowMillis();
        List<Pending> due = new ArrayList<>();
        long next = Long.MAX_VALUE;
        List<Pending> slow = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (p.late) {
                continue;
            }
            if (p.slowAt <= now && p.slowAt < p.deadline) {
                slow.add(p);
            } else if (p.slowAt != Long.MAX_VALUE && p.slowAt > now) {
                next = Math.min(next, p.slowAt);
            }
            if (p.deadline <= now) {
                due.add(p);
            } else {
                next = Math.min(next, p.deadline);
            }
        }
        slow.sort(BY_DEADLINE);
        for (Pending p : slow) {
            if (pending.get(p.txId) == p && !p.late && p.slowAt != Long.MAX_VALUE) {
                p.slowAt = Long.MAX_VALUE;
                ((SlowAware) p.callback).onSlow();
            }
        }
        due.sort(BY_DEADLINE);
        for (Pending p : due) {
            if (pending.get(p.txId) == p && !p.late) { // an earlier one's callback may have stopped everything
                p.expire();
            }
        }
        if (next != Long.MAX_VALUE && awaiting > 0) {
            wakeBy(next);
        }
    }

    private void forgetExpiredLateOnes() {
        long now = env.nowMillis();
        if (now < firstLateUntil) {
            return;
        }
        Pending p;
        while ((p = lateOnes.peek()) != null && p.lateUntil <= now) {
            lateOnes.poll();
            pending.remove(p.txId, p);
        }
        firstLateUntil = p == null ? Long.MAX_VALUE : p.lateUntil;
    }
}
