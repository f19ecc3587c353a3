package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source, so one source flooding us cannot take the node from everyone else:
 * each source may send {@code perSecond} datagrams a second on average, in bursts of up to twice
 * that. Sources are keyed by IP (one host, whatever ports it uses), except loopback, keyed by IP
 * and port so many nodes on one machine stay separate.
 *
 * <p>Only sources heard in the last few seconds are remembered: a source silent long enough to
 * have refilled its bucket is forgotten, since a fresh bucket is the same. So memory follows the
 * number of recently active sources (a few per node in a quiet network, which matters when the
 * simulator runs 100,000 nodes), with a hard cap for floods from many addresses.
 */
final class SourceRateLimiter {
    static final int MAX_SOURCES = 8_192;
    /** Below this many sources, idle ones are kept: forgetting costs more than the little memory. */
    static final int KEEP_IDLE_BELOW = 16;

    private static final class Bucket {
        double tokens;
        long updatedAt;
    }

    private final double perMilli;
    private final double burst;
    /** Milliseconds after which an idle source's bucket is full again. */
    private final long refillMillis;
    /** Least recently heard first. */
    private final LinkedHashMap<Object, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

    SourceRateLimiter(int perSecond) {
        this.perMilli = perSecond / 1000.0;
        this.burst = 2.0 * perSecond;
        this.refillMillis = (long) Math.ceil(burst / perMilli);
    }

    /** True when a datagram from {@code from} at {@code now} is within its source's allowance. */
    boolean admit(InetSocketAddress from, long now) {
        forgetIdle(now);
        Object key = from.getAddress().isLoopbackAddress() ? from : from.getAddress();
        Bucket b = buckets.get(key);
        if (b == null) {
            b = new Bucket();
            b.tokens = burst;
            b.updatedAt = now;
            buckets.put(key, b);
        }
        b.tokens = Math.min(burst, b.tokens + (now - b.updatedAt) * perMilli);
        b.updatedAt = now;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    int trackedSources() {
        return buckets.size();
    }

    private void forgetIdle(long now) {
        if (buckets.size() < KEEP_IDLE_BELOW) {
            return;
        }
        Iterator<Map.Entry<Object, Bucket>> it = buckets.entrySet().iterator();
        while (it.hasNext()) {
            Bucket eldest = it.next().getValue();
            if (buckets.size() < KEEP_IDLE_BELOW || (now - eldest.updatedAt < refillMillis && buckets.size() < MAX_SOURCES)) {
                return;
            }
            it.remove();
        }
    }
}
