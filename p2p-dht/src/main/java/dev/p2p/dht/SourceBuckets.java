package dev.p2p.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * A token bucket per source: each source may send {@code perMilli} datagrams a millisecond on
 * average, in bursts of up to {@code burst}. Sources are keyed by IP (one host, whatever ports it
 * uses; for IPv6 its /64, {@link SourceGroup}), except loopback, keyed by IP and port so many nodes
 * on one machine stay separate.
 *
 * <p>Only sources heard in the last few seconds are remembered: a source silent long enough to have
 * refilled its bucket is forgotten, since a fresh bucket is the same. Sources live in two
 * generations, each as long as a refill: a source heard in neither the current nor the previous
 * generation has been idle for at least a refill and is dropped with its generation, in bulk. So
 * memory follows the number of recently active sources, with a hard cap for floods from many
 * addresses, and costs no per-datagram bookkeeping.
 *
 * <p>Each generation is an open-addressing table of primitive arrays, reused from one generation to
 * the next: a pair of HashMaps made a new table, a node and a bucket object for most datagrams.
 */
final class SourceBuckets {
    static final int MAX_SOURCES = 8_192;

    private final double perMilli;
    private final double burst;
    private final long refillMillis;
    /** A source heard first now starts with {@code freshTokens} at {@code freshAt}, refilled since (never above a burst). */
    private final double freshTokens;
    private final long freshAt;
    private Generation current = new Generation(Generation.MIN_CAPACITY);
    private Generation previous = new Generation(Generation.MIN_CAPACITY);
    private long generationStart;

    /**
     * @param freshTokens what a source not heard since {@code freshAt} surely had then: a burst
     *     when nothing is known, less when it may have sent unnoted datagrams before
     */
    SourceBuckets(double perMilli, double burst, long refillMillis, double freshTokens, long freshAt, long now) {
        this.perMilli = perMilli;
        this.burst = burst;
        this.refillMillis = refillMillis;
        this.freshTokens = freshTokens;
        this.freshAt = freshAt;
        this.generationStart = now;
    }

    /** The key a source is counted under: its {@link SourceGroup} (an IPv6 /64), on loopback its IP and port. */
    static Object keyOf(InetSocketAddress from) {
        InetAddress ip = from.getAddress();
        return ip.isLoopbackAddress() ? from : SourceGroup.of(ip);
    }

    /**
     * True when a datagram from {@code key} at {@code now} is within its source's allowance. A
     * refused datagram leaves the bucket empty, so a bucket that started below its true level (see
     * {@link #charge}) never rises above it.
     */
    boolean admit(Object key, long now) {
        int i = slotOf(key, now);
        double tokens = Math.min(burst, current.tokens[i] + Math.max(0, now - current.updatedAt[i]) * perMilli);
        boolean admitted = tokens >= 1;
        current.tokens[i] = admitted ? tokens - 1 : 0;
        current.updatedAt[i] = now;
        return admitted;
    }

    /** Takes a token from {@code key}'s bucket for a datagram admitted before these buckets kept count. */
    void charge(Object key, long now) {
        int i = slotOf(key, now);
        current.tokens[i] = Math.max(0, current.tokens[i] - 1);
    }

    /** Entries held, in both generations (a source that moved on counts in each until the older one goes). */
    int size() {
        return current.size + previous.size;
    }

    /** The slot of {@code key}'s bucket in the current generation, moved or made there if need be. */
    private int slotOf(Object key, long now) {
        advanceGeneration(now);
        int hash = key.hashCode();
        int i = current.find(key, hash);
        if (i < 0) {
            // Heard in the previous generation: its bucket moves along (the stale copy goes with that generation).
            int p = previous.find(key, hash);
            i = p >= 0 ? current.add(key, hash, previous.tokens[p], previous.updatedAt[p])
                    : current.add(key, hash, Math.min(burst, freshTokens + Math.max(0, now - freshAt) * perMilli), now);
        }
        return i;
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
