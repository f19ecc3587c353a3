package dev.p2p.dht;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Up to k contacts sharing one distance range, least recently seen first, plus a replacement cache
 * of up to k contacts that answered while the bucket was full (newest last). Old contacts are kept
 * over new ones (they are likelier to stay online), but a contact that stops answering is replaced.
 *
 * <p>Held as two arrays rather than an object per contact: the contacts, and one array of
 * longs with each contact's first 64 id bits, last seen time, failures and IP prefix side by
 * side. Finding an id, ranking contacts by distance (every FIND_NODE answer) and counting
 * prefixes then read one short run of memory per bucket instead of an object per contact, which
 * matters when the simulator keeps millions of contacts.
 */
final class KBucket {
    /** Longs per contact in {@link #hot}. */
    private static final int STRIDE = 4;
    private static final int FIRST_WORD = 0;
    private static final int LAST_SEEN = 1;
    private static final int FAILURES = 2;
    /** The contact's {@link Contact#prefix()}. */
    private static final int PREFIX = 3;

    private Contact[] contacts = new Contact[4];
    private long[] hot = new long[4 * STRIDE];
    private int size;
    final List<Contact> replacements = new ArrayList<>();
    /** When a lookup went into this bucket's range or one of its contacts was last heard from. */
    long lastChanged;
    /** When its questionable contacts were last pinged ({@link RoutingTable#questionableToPing}). */
    long lastSwept;

    KBucket(long now) {
        this.lastChanged = now;
        this.lastSwept = now;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Contact contact(int i) {
        return contacts[i];
    }

    /** The first 64 bits of contact {@code i}'s id. */
    long firstWord(int i) {
        return hot[i * STRIDE + FIRST_WORD];
    }

    long lastSeen(int i) {
        return hot[i * STRIDE + LAST_SEEN];
    }

    /** Requests to contact {@code i} that went unanswered since it was last heard from. */
    int failures(int i) {
        return (int) hot[i * STRIDE + FAILURES];
    }

    long prefix(int i) {
        return hot[i * STRIDE + PREFIX];
    }

    /** Counts one more unanswered request; answers the new count. */
    int addFailure(int i) {
        return (int) ++hot[i * STRIDE + FAILURES];
    }

    /** The same node (same id) at a new address. */
    void setContact(int i, Contact c) {
        contacts[i] = c;
        hot[i * STRIDE + PREFIX] = c.prefix();
    }

    int indexOf(NodeId id) {
        long w = id.firstWord();
        for (int i = 0; i < size; i++) {
            if (hot[i * STRIDE + FIRST_WORD] == w && contacts[i].id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Adds {@code c} as the most recently seen, with no failures. */
    void addLast(Contact c, long seenAt) {
        insert(size, c, seenAt, 0);
    }

    Contact removeAt(int i) {
        Contact c = contacts[i];
        int after = size - i - 1;
        System.arraycopy(contacts, i + 1, contacts, i, after);
        System.arraycopy(hot, (i + 1) * STRIDE, hot, i * STRIDE, after * STRIDE);
        contacts[--size] = null;
        return c;
    }

    /** Moves contact {@code i} to the most-recently-seen end, seen now and with no failures. */
    void moveToTail(int i, long now) {
        Contact c = removeAt(i);
        insert(size, c, now, 0);
        lastChanged = now;
    }

    /** Moves contact {@code i} to the least-recently-seen end: the first candidate for eviction. */
    void moveToHead(int i) {
        long seen = lastSeen(i);
        int failed = failures(i);
        Contact c = removeAt(i);
        insert(0, c, seen, failed);
    }

    void addReplacement(Contact c, int max) {
        replacements.removeIf(r -> r.id().equals(c.id()));
        replacements.add(c);
        if (replacements.size() > max) {
            replacements.remove(0);
        }
    }

    /** Removes and returns the newest replacement, or null. */
    Contact takeReplacement() {
        return replacements.isEmpty() ? null : replacements.remove(replacements.size() - 1);
    }

    private void insert(int at, Contact c, long seenAt, int failed) {
        if (size == contacts.length) {
            contacts = Arrays.copyOf(contacts, size * 2);
            hot = Arrays.copyOf(hot, size * 2 * STRIDE);
        }
        int after = size - at;
        System.arraycopy(contacts, at, contacts, at + 1, after);
        System.arraycopy(hot, at * STRIDE, hot, (at + 1) * STRIDE, after * STRIDE);
        contacts[at] = c;
        int h = at * STRIDE;
        hot[h + FIRST_WORD] = c.idWord();
        hot[h + LAST_SEEN] = seenAt;
        hot[h + FAILURES] = failed;
        hot[h + PREFIX] = c.prefix();
        size++;
    }
}
