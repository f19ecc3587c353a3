package dev.p2p.dht;

import java.util.Arrays;

/**
 * The contacts of all of one routing table's buckets, in a few flat arrays of k slots per
 * bucket, the farthest bucket first. A bucket's contacts fill its first {@link #size} slots,
 * least recently seen first.
 *
 * <p>Why flat: ranking a table's contacts for a FIND_NODE answer visits five or so buckets, and
 * finding a contact reads one. With an object and arrays of its own per bucket each visit began
 * with three reads from unrelated places in memory; here neighbouring buckets are neighbours in
 * memory, and the first id words a scan compares sit together, apart from the state it reads only
 * for the contacts it keeps. In the simulator, which holds millions of contacts, those reads were
 * most of the cost of answering.
 */
final class BucketSlots {
    /** Longs per slot in {@link #state}. */
    private static final int STRIDE = 3;
    private static final int LAST_SEEN = 0;
    private static final int FAILURES = 1;
    /** The contact's {@link Contact#prefix()}. */
    private static final int PREFIX = 2;

    private final int k;
    /** Buckets from this index up have slots. */
    private int lowest = NodeId.BITS;
    private final int[] sizes = new int[NodeId.BITS];
    /** The first 64 bits of each slot's id. */
    private long[] words = new long[0];
    private long[] state = new long[0];
    private Contact[] contacts = new Contact[0];

    BucketSlots(int k) {
        this.k = k;
    }

    /** Gives {@code bucket} (and every bucket above it) slots, if it has none yet. */
    void reach(int bucket) {
        if (bucket >= lowest) {
            return;
        }
        lowest = bucket;
        int slots = (NodeId.BITS - bucket) * k;
        words = Arrays.copyOf(words, slots);
        state = Arrays.copyOf(state, slots * STRIDE);
        contacts = Arrays.copyOf(contacts, slots);
    }

    /** The first slot of {@code bucket}. */
    int base(int bucket) {
        return (NodeId.BITS - 1 - bucket) * k;
    }

    int size(int bucket) {
        return sizes[bucket];
    }

    long word(int slot) {
        return words[slot];
    }

    Contact contact(int slot) {
        return contacts[slot];
    }

    long lastSeen(int slot) {
        return state[slot * STRIDE + LAST_SEEN];
    }

    int failures(int slot) {
        return (int) state[slot * STRIDE + FAILURES];
    }

    long prefix(int slot) {
        return state[slot * STRIDE + PREFIX];
    }

    /** Counts one more unanswered request; answers the new count. */
    int addFailure(int slot) {
        return (int) ++state[slot * STRIDE + FAILURES];
    }

    /** The same node (same id) at a new address. */
    void setContact(int slot, Contact c) {
        contacts[slot] = c;
        state[slot * STRIDE + PREFIX] = c.prefix();
    }

    /** The slot of {@code id} in {@code bucket}, or -1. */
    int indexOf(int bucket, NodeId id) {
        if (bucket < lowest) {
            return -1;
        }
        long w = id.firstWord();
        int base = base(bucket);
        for (int s = base, end = base + sizes[bucket]; s < end; s++) {
            if (words[s] == w && contacts[s].id().equals(id)) {
                return s;
            }
        }
        return -1;
    }

    /** Puts {@code c} at position {@code at} of {@code bucket}, moving later ones up; the bucket must have room. */
    void insert(int bucket, int at, Contact c, long seenAt, int failed) {
        int size = sizes[bucket];
        if (size == k) {
            throw new IllegalStateException("bucket " + bucket + " is full");
        }
        int s = base(bucket) + at;
        int after = size - at;
        System.arraycopy(words, s, words, s + 1, after);
        System.arraycopy(state, s * STRIDE, state, (s + 1) * STRIDE, after * STRIDE);
        System.arraycopy(contacts, s, contacts, s + 1, after);
        words[s] = c.idWord();
        contacts[s] = c;
        state[s * STRIDE + LAST_SEEN] = seenAt;
        state[s * STRIDE + FAILURES] = failed;
        state[s * STRIDE + PREFIX] = c.prefix();
        sizes[bucket] = size + 1;
    }

    /** Removes position {@code at} of {@code bucket}, moving later ones down; returns its contact. */
    Contact removeAt(int bucket, int at) {
        int base = base(bucket);
        int s = base + at;
        Contact c = contacts[s];
        int size = sizes[bucket];
        int after = size - at - 1;
        System.arraycopy(words, s + 1, words, s, after);
        System.arraycopy(state, (s + 1) * STRIDE, state, s * STRIDE, after * STRIDE);
        System.arraycopy(contacts, s + 1, contacts, s, after);
        contacts[base + size - 1] = null;
        sizes[bucket] = size - 1;
        return c;
    }
}
