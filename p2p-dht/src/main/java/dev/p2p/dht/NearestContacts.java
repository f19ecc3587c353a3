package dev.p2p.dht;

import java.util.Arrays;
import java.util.List;

/**
 * Keeps the {@code n} contacts closest to a target out of those offered, closest first. Selection
 * by insertion rather than sorting everything, on the first 64 bits of each distance (read from
 * the table's slots, see {@link BucketSlots}) with the full ids compared only on a tie: most
 * candidates are turned away by one comparison of two longs, without touching the contact.
 *
 * <p>One instance serves all of a table's selections in turn ({@link #reset}), as the table is
 * used from one thread: a node answers every FIND_NODE with one, and fresh arrays for each were a
 * fifth of the bytes the simulator allocated.
 */
final class NearestContacts {
    private NodeId target;
    private long targetWord;
    private NodeId exclude;
    private long excludeWord;
    private boolean onlyGood;
    private long seenAfter;
    private long[] distances = new long[0];
    private Contact[] kept = new Contact[0];
    private int size;

    /**
     * @param exclude an id never kept (the asker itself), or null
     * @param seenAfter leave out contacts whose last request failed or that were last heard from
     *     at or before this time; Long.MIN_VALUE keeps every contact
     */
    void reset(NodeId target, int n, NodeId exclude, long seenAfter) {
        if (kept.length != n) {
            distances = new long[n];
            kept = new Contact[n];
        }
        this.size = 0;
        this.onlyGood = seenAfter != Long.MIN_VALUE;
        this.seenAfter = seenAfter;
        this.target = target;
        this.targetWord = target.firstWord();
        this.exclude = exclude;
        this.excludeWord = exclude == null ? 0 : exclude.firstWord();
    }

    /** Offers slot {@code s} of {@code slots}, whose id begins with {@code firstWord}. */
    void offer(long firstWord, BucketSlots slots, int s) {
        int n = kept.length;
        long d = firstWord ^ targetWord;
        if (n == 0 || (size == n && Long.compareUnsigned(d, distances[n - 1]) > 0)) {
            return;
        }
        if (onlyGood && (slots.failures(s) > 0 || slots.lastSeen(s) <= seenAfter)) {
            return;
        }
        Contact c = slots.contact(s);
        if (size == n && d == distances[n - 1] && closer(kept[n - 1], d, c, d)) {
            return;
        }
        if (exclude != null && firstWord == excludeWord && c.id().equals(exclude)) {
            return;
        }
        int at = size == n ? n - 1 : size++;
        while (at > 0 && closer(c, d, kept[at - 1], distances[at - 1])) {
            kept[at] = kept[at - 1];
            distances[at] = distances[at - 1];
            at--;
        }
        kept[at] = c;
        distances[at] = d;
    }

    boolean isFull() {
        return size == kept.length;
    }

    /**
     * The contacts kept, closest first, as an unmodifiable list of its own (List.of copies the
     * array): an answer's message keeps it as it is ({@link List#copyOf} returns such a list
     * itself) instead of copying it twice more.
     */
    List<Contact> toList() {
        return List.of(size == kept.length ? kept : Arrays.copyOf(kept, size));
    }

    /** True when {@code a} (first distance word {@code da}) is closer to the target than {@code b}. */
    private boolean closer(Contact a, long da, Contact b, long db) {
        int c = Long.compareUnsigned(da, db);
        return c != 0 ? c < 0 : target.compareDistance(a.id(), b.id()) < 0;
    }
}
