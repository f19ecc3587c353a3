package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source, so one source flooding us cannot take the node from everyone else:
 * each source may send {@code perSecond} datagrams a second on average, in bursts of up to twice
 * that. Sources are keyed by IP (one host, whatever ports it uses), except loopback, keyed by IP
 * and port so many nodes on one machine stay separate. The table of sources is bounded; the least
 * recently heard source is forgotten first.
 */
final class SourceRateLimiter {
    static final int MAX_SOURCES = 8_192;

    private static final class Bucket {
        double tokens;
        long updatedAt;
    }

    private final double perMilli;
    private final double burst;
    private final Map<Object, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Bucket> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    SourceRateLimiter(int perSecond) {
        this.perMilli = perSecond / 1000.0;
        this.burst = 2.0 * perSecond;
    }

    /** True when a datagram from {@code from} at {@code now} is within its source's allowance. */
    boolean admit(InetSocketAddress from, long now) {
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
}
