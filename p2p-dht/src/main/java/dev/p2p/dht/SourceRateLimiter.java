package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.util.HashMap;

/**
 * A token bucket per source, so one source flooding us cannot take the node from everyone else:
 * each source may send {@code perSecond} datagrams a second on average, in bursts of up to twice
 * that. Sources are keyed by IP (one host, whatever ports it uses), except loopback, keyed by IP
 * and port so many nodes on one machine stay separate.
 *
 * <p>Only sources heard in the last few seconds are remembered: a source silent long enough to
 * have refilled its bucket is forgotten, since a fresh bucket is the same. Sources live in two
 * generations, each as long as a refill: a source heard in neither the current nor the previous
 * generation has been idle for at least a refill and is dropped with its generation, in bulk. So
 * memory follows the number of recently active sources (a few per node in a quiet network, which
 * matters when the simulator runs 100,000 nodes) and costs no per-datagram bookkeeping, with a hard
 * cap for floods from many addresses.
 */
final class SourceRateLimiter {
    static final int MAX_SOURCES = 8_192;

    private static final class Bucket {
        double tokens;
        long updatedAt;
    }

    private final double perMilli;
    private final double burst;
    /** Milliseconds after which an idle source's bucket is full again: one generation. */
    private final long refillMillis;
    private HashMap<Object, Bucket> current = new HashMap<>();
    private HashMap<Object, Bucket> previous = new HashMap<>();
    private long generationStart;

    SourceRateLimiter(int perSecond) {
        this.perMilli = perSecond / 1000.0;
        this.burst = 2.0 * perSecond;
        this.refillMillis = (long) Math.ceil(burst / perMilli);
    }

    /** True when a datagram from {@code from} at {@code now} is within its source's allowance. */
    boolean admit(InetSocketAddress from, long now) {
        advanceGeneration(now);
        Object key = from.getAddress().isLoopbackAddress() ? from : from.getAddress();
        Bucket b = current.get(key);
        if (b == null) {
            b = previous.remove(key);
            if (b == null) {
                b = new Bucket();
                b.tokens = burst;
                b.updatedAt = now;
            }
            current.put(key, b);
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
        return current.size() + previous.size();
    }

    private void advanceGeneration(long now) {
        long age = now - generationStart;
        if (age < refillMillis && current.size() < MAX_SOURCES) {
            return;
        }
        // Every source in the current generation was heard before its first refill period ended
        // (the first datagram after that starts a new one), so two periods on it is idle as well.
        // At the cap the previous generation is dropped early: a flood from many addresses costs
        // at most two generations of memory.
        int heard = current.size();
        previous = age >= 2 * refillMillis && heard < MAX_SOURCES ? new HashMap<>() : current;
        current = new HashMap<>(Math.min(heard, MAX_SOURCES) * 4 / 3 + 16); // sized as the last: no rehashing
        generationStart = now;
    }
}
