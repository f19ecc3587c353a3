package dev.p2p.dht;

import java.net.InetSocketAddress;

/**
 * So one source flooding us cannot take the node from everyone else: each source may send {@code
 * perSecond} datagrams a second on average, in bursts of up to twice that ({@link SourceBuckets}).
 *
 * <p>Most nodes are nowhere near that: a quiet node hears a few datagrams a second from all its
 * sources together. So the node keeps one more bucket of the same size and rate for all its
 * datagrams, admitted or not, and looks no source up while that bucket has a token: a source's own
 * bucket, filled at the same rate and drained by a subset of the same datagrams, holds at least as
 * many tokens as the node's (by induction over arrivals and refills, both never below empty), so it
 * would have admitted the datagram too.
 *
 * <p>Below half full, the node notes who sends what ({@link RecentArrivals}, at most the last refill
 * period). When it runs dry, per-source buckets take over: a source's starts at what the node's
 * bucket last held at half full or more, refilled since, less what the source sent since (or at a
 * full bucket less what it sent in the last refill period, when the note covers one). That is never
 * more than per-source buckets kept all along would hold, so the limiter never admits what they
 * would refuse; a source that sent little keeps at least half a burst. Once the node's bucket is back
 * at half full, the per-source buckets go: the node's bound is enough again.
 */
final class SourceRateLimiter {
    private final double perMilli;
    private final double burst;
    private final double half;
    /** Milliseconds in which an empty bucket fills again. */
    private final long refillMillis;
    private double nodeTokens;
    private long nodeUpdatedAt;
    private boolean started;
    /** The last datagram that found the node's bucket at least half full: every source's held {@code half - 1} after it. */
    private long halfFullAt;
    /** Datagrams since then, within the last refill period; null when there are none. */
    private RecentArrivals recent;
    /** Null while the node's bucket has not run dry since it was last half full. */
    private SourceBuckets perSource;

    SourceRateLimiter(int perSecond) {
        this.perMilli = perSecond / 1000.0;
        this.burst = 2.0 * perSecond;
        this.half = perSecond;
        this.refillMillis = (long) Math.ceil(burst / perMilli);
        this.nodeTokens = burst;
    }

    /** True when a datagram from {@code from} at {@code now} is within its source's allowance. */
    boolean admit(InetSocketAddress from, long now) {
        double node = nodeTokensAt(now);
        nodeTokens = Math.max(0, node - 1); // every datagram counts
        if (node >= half) {
            halfFullAt = now;
            recent = null;
            perSource = null;
            return true;
        }
        if (perSource == null) {
            if (node >= 1) {
                if (recent == null) {
                    recent = new RecentArrivals();
                }
                recent.add(from, now, refillMillis);
                return true;
            }
            perSource = bucketsFromRecent(now);
            recent = null;
        }
        return perSource.admit(SourceBuckets.keyOf(from), now);
    }

    /** Sources with a bucket of their own plus the datagrams noted for them. */
    int remembered() {
        return (recent == null ? 0 : recent.size()) + (perSource == null ? 0 : perSource.size());
    }

    /** True while sources have buckets of their own: the node's bucket ran dry and is not yet half full. */
    boolean countsSources() {
        return perSource != null;
    }

    private double nodeTokensAt(long now) {
        if (!started) {
            started = true;
            nodeUpdatedAt = now;
            halfFullAt = now;
        }
        double tokens = Math.min(burst, nodeTokens + Math.max(0, now - nodeUpdatedAt) * perMilli);
        nodeUpdatedAt = now;
        return tokens;
    }

    /**
     * Per-source buckets for a node that just ran dry, each as full as it surely is (a bucket
     * refilled from any level, less one token a datagram, holds at least that).
     */
    private SourceBuckets bucketsFromRecent(long now) {
        boolean wholePeriod = now - halfFullAt >= refillMillis; // then a source unheard in it is full
        SourceBuckets buckets = wholePeriod
                ? new SourceBuckets(perMilli, burst, refillMillis, burst, now, now)
                : new SourceBuckets(perMilli, burst, refillMillis, half - 1, halfFullAt, now);
        if (recent != null) {
            recent.forgetUpTo(now - refillMillis);
            for (int i = 0; i < recent.size(); i++) {
                buckets.charge(SourceBuckets.keyOf(recent.source(i)), now);
            }
        }
        return buckets;
    }
}
