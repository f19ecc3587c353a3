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
 * memory, and each field has an array of its own, so a scan reads only the fields it compares: the
 * first id words, then last-seen times and failures for the contacts it keeps. In the simulator, which holds millions of contacts, those reads were
 * most of the cost of answering.
 */
final class BucketSlots {
    private final int k;
    /** Buckets from this index up have slots. */
    private int lowest = NodeId.BITS;
    private final int[] sizes = new int[NodeId.BITS];
    /** The first 64 bits of each slot's id. */
    private long[] words = new long[0];
    private long[] lastSeen = new long[0];
    /** Requests that went unanswered since the contact was last heard from. */
    private int[] failures = new int[0];
    /** Each contact's {@link Contact#prefix()}, read only when admitting a newcomer. */
    private long[] prefixes = new long[0];
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
        lastSeen = Arrays.copyOf(lastSeen, slots);
        failures = Arrays.copyOf(failures, slots);
        prefixes = Arrays.copyOf(prefixes, slots);
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
        return lastSeen[slot];
    }

    int failures(int slot) {
        return failures[slot];
    }

    long prefix(int slot) {
        return prefixes[slot];
    }

    /** Counts one more unanswered request; answers the new count. */
    int addFailure(int slot) {
        return ++failures[slot];
    }

    /** The same node (same id) at a new address. */
    void setContact(int slot, Contact c) {
        contacts[slot] = c;
        prefixes[slot] = c.prefix();
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
        System.arraycopy(lastSeen, s, lastSeen, s + 1, after);
        System.arraycopy(failures, s, failures, s + 1, after);
        System.arraycopy(prefixes, s, prefixes, s + 1, after);
        System.arraycopy(contacts, s, contacts, s + 1, after);
        words[s] = c.idWord();
        contacts[s] = c;
        lastSeen[s] = seenAt;
        failures[s] = failed;
        prefixes[s] = c.prefix();
        sizes[bucket] = size + 1;
    }

    /**
     * Makes position {@code at} of {@code bucket} the last (the most recently seen), seen at
     * {@code seenAt} with no failures, moving later ones down: one pass per array rather than a
     * removal and an insertion, as this runs for nearly every message from a known contact.
     */
    void moveToEnd(int bucket, int at, long seenAt) {
        int s = base(bucket) + at;
        int last = base(bucket) + sizes[bucket] - 1;
        if (s != last) {
            int after = last - s;
            long word = words[s];
            long prefix = prefixes[s];
            Contact c = contacts[s];
            System.arraycopy(words, s + 1, words, s, after);
            System.arraycopy(lastSeen, s + 1, lastSeen, s, after);
            System.arraycopy(failures, s + 1, failures, s, after);
            System.arraycopy(prefixes, s + 1, prefixes, s, after);
            System.arraycopy(contacts, s + 1, contacts, s, after);
            words[last] = word;
            prefixes[last] = prefix;
            contacts[last] = c;
        }
        lastSeen[last] = seenAt;
        failures[last] = 0;
    }

    /** Removes position {@code at} of {@code bucket}, moving later ones down; returns its contact. */
    Contact removeAt(int bucket, int at) {
        int base = base(bucket);
        int s = base + at;
        Contact c = contacts[s];
        int size = sizes[bucket];
        int after = size - at - 1;
        System.arraycopy(words, s + 1, words, s, after);
        System.arraycopy(lastSeen, s + 1, lastSeen, s, after);
        System.arraycopy(failures, s + 1, failures, s, after);
        System.arraycopy(prefixes, s + 1, prefixes, s, after);
        System.arraycopy(contacts, s + 1, contacts, s, after);
        contacts[base + size - 1] = null;
        sizes[bucket] = size - 1;
        return c;
    }
}
