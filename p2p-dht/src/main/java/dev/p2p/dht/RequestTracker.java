package dev.p2p.dht;

import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Request;
import dev.p2p.dht.wire.Message.Response;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
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

    /** A request in flight; it is its own timeout task, so a send allocates no timer closure. */
    private final class Pending implements Runnable {
        final int txId;
        final InetSocketAddress to;
        final Request request;
        final Callback callback;
        int attemptsLeft;
        long sentAt;
        Cancellable timer;
        /** Past its timeout: kept only so a late answer is still recognised (and measured). */
        boolean late;
        /** When a late request is forgotten. */
        long lateUntil;

        Pending(int txId, InetSocketAddress to, Request request, Callback callback, int attempts) {
            this.txId = txId;
            this.to = to;
            this.request = request;
            this.callback = callback;
            this.attemptsLeft = attempts;
        }

        void transmit() {
            attemptsLeft--;
            sentAt = env.nowMillis();
            stats.messagesOut++;
            env.send(to, request);
            timer = env.schedule(rtt.timeout(), this);
        }

        /** The timeout. */
        @Override
        public void run() {
            if (pending.get(txId) != this) {
                return;
            }
            if (attemptsLeft > 0) {
                transmit();
                return;
            }
            stats.requestTimeouts++;
            late = true;
            timer = null;
            lateUntil = env.nowMillis() + graceMillis;
            lateOnes.add(this);
            firstLateUntil = Math.min(firstLateUntil, lateUntil);
            callback.onTimeout();
        }
    }

    private final Environment env;
    private final RttEstimator rtt;
    private final DhtStats stats;
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
     * @param graceMillis how long after its timeout a request still accepts a late answer; late
     *     answers are measured too, so the timeout learns the slow tail instead of ignoring it
     */
    RequestTracker(Environment env, RttEstimator rtt, DhtStats stats, long graceMillis) {
        this.env = env;
        this.rtt = rtt;
        this.stats = stats;
        this.graceMillis = graceMillis;
    }

    /** Sends a request made by {@code make} from a fresh transaction id, up to {@code attempts} times. */
    void send(InetSocketAddress to, IntFunction<Request> make, int attempts, Callback callback) {
        forgetExpiredLateOnes();
        int txId;
        do {
            txId = env.random().nextInt();
        } while (pending.containsKey(txId));
        Pending p = new Pending(txId, to, make.apply(txId), callback, attempts);
        pending.putNew(txId, p);
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
        if (p.timer != null) {
            p.timer.cancel();
        }
        long elapsed = env.nowMillis() - p.sentAt;
        rtt.sample(elapsed);
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
        for (Pending p : pending.values()) {
            if (p.timer != null) {
                p.timer.cancel();
            }
        }
        pending.clear();
        lateOnes.clear();
        firstLateUntil = Long.MAX_VALUE;
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
