package dev.p2p.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

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
 *
 * <p>Each generation is an open-addressing table of primitive arrays, reused from one generation
 * to the next: this runs for every datagram that arrives, and a pair of HashMaps made a new table,
 * a node and a bucket object for most of them (an eighth of all the simulator's allocation).
 */
final class SourceRateLimiter {
    static final int MAX_SOURCES = 8_192;

    private final double perMilli;
    private final double burst;
    /** Milliseconds after which an idle source's bucket is full again: one generation. */
    private final long refillMillis;
    private Generation current = new Generation(Generation.MIN_CAPACITY);
    private Generation previous = new Generation(Generation.MIN_CAPACITY);
    private long generationStart;

    SourceRateLimiter(int perSecond) {
        this.perMilli = perSecond / 1000.0;
        this.burst = 2.0 * perSecond;
        this.refillMillis = (long) Math.ceil(burst / perMilli);
    }

    /** True when a datagram from {@code from} at {@code now} is within its source's allowance. */
    boolean admit(InetSocketAddress from, long now) {
        advanceGeneration(now);
        InetAddress ip = from.getAddress();
        Object key = ip.isLoopbackAddress() ? from : ip;
        int hash = key.hashCode();
        int i = current.find(key, hash);
        if (i < 0) {
            // Heard in the previous generation: its bucket moves along (the stale copy goes with that generation).
            int p = previous.find(key, hash);
            i = p >= 0 ? current.add(key, hash, previous.tokens[p], previous.updatedAt[p])
                    : current.add(key, hash, burst, now);
        }
        double tokens = Math.min(burst, current.tokens[i] + (now - current.updatedAt[i]) * perMilli);
        boolean admitted = tokens >= 1;
        current.tokens[i] = admitted ? tokens - 1 : tokens;
        current.updatedAt[i] = now;
        return admitted;
    }

    /** Entries held, in both generations (a source that moved on counts in each until the older one goes). */
    int trackedSources() {
        return current.size + previous.size;
    }

    private void advanceGeneration(long now) {
        long age = now - generationStart;
        if (age < refillMillis && current.size < MAX_SOURCES) {
            return;
        }
        // Every source in the current generation was heard before its first refill period ended
        // (the first datagram after that starts a new one), so two periods on it is idle as well.
        // At the cap the previous generation is dropped early: a flood from many addresses costs
        // at most two generations of memory.
        int heard = current.size;
        Generation spare = previous;
        previous = current;
        if (age >= 2 * refillMillis && heard < MAX_SOURCES) {
            previous = previous.clear(0);
        }
        current = spare.clear(Math.min(heard, MAX_SOURCES)); // sized as the last: no growing
        generationStart = now;
    }

    /** One generation's buckets: keys, their hashes, tokens and last update, by slot; probed linearly. */
    private static final class Generation {
        static final int MIN_CAPACITY = 16;

        Object[] keys;
        int[] hashes;
        double[] tokens;
        long[] updatedAt;
        int size;

        Generation(int capacity) {
            keys = new Object[capacity];
            hashes = new int[capacity];
            tokens = new double[capacity];
            updatedAt = new long[capacity];
        }

        /** The slot of {@code key}, or -1. */
        int find(Object key, int hash) {
            int mask = keys.length - 1;
            for (int i = slot(hash, mask); keys[i] != null; i = (i + 1) & mask) {
                if (hashes[i] == hash && keys[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        /** Adds {@code key}, which must be absent; returns its slot. */
        int add(Object key, int hash, double bucketTokens, long bucketUpdatedAt) {
            if ((size + 1) * 2 > keys.length) {
                rehash(keys.length * 2);
            }
            int i = place(key, hash);
            tokens[i] = bucketTokens;
            updatedAt[i] = bucketUpdatedAt;
            size++;
            return i;
        }

        /**
         * Empties this generation, made ready for about {@code expected} sources: its arrays are
         * kept unless far too small or far too large for that.
         */
        Generation clear(int expected) {
            int capacity = capacityFor(expected);
            if (keys.length < capacity || keys.length > 4 * capacity) {
                return new Generation(capacity);
            }
            Arrays.fill(keys, null);
            size = 0;
            return this;
        }

        private static int capacityFor(int sources) {
            return Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, sources) * 2 - 1) * 2);
        }

        private int place(Object key, int hash) {
            int mask = keys.length - 1;
            int i = slot(hash, mask);
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            hashes[i] = hash;
            return i;
        }

        private void rehash(int capacity) {
            Object[] oldKeys = keys;
            int[] oldHashes = hashes;
            double[] oldTokens = tokens;
            long[] oldUpdatedAt = updatedAt;
            keys = new Object[capacity];
            hashes = new int[capacity];
            tokens = new double[capacity];
            updatedAt = new long[capacity];
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != null) {
                    int i = place(oldKeys[j], oldHashes[j]);
                    tokens[i] = oldTokens[j];
                    updatedAt[i] = oldUpdatedAt[j];
                }
            }
        }

        /** Addresses' hashes are their raw bits, clustered in the low bytes: spread them. */
        private static int slot(int hash, int mask) {
            return (int) ((hash * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        }
    }
}
