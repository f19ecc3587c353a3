package dev.p2p.dht;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Up to k contacts sharing one distance range, least recently seen first, plus a replacement cache
 * of up to k contacts that answered while the bucket was full (newest last). Old contacts are kept
 * over new ones (they are likelier to stay online), but a contact that stops answering is replaced.
 *
 * <p>Held as parallel arrays (contact, first 64 bits of its id, last seen, failures, IP prefix)
 * rather than an object per contact: finding an id, ranking contacts by distance (every FIND_NODE
 * answer) and counting prefixes then read a few short arrays instead of an object per contact,
 * which matters when the simulator keeps millions of contacts.
 */
final class KBucket {
    private Contact[] contacts = new Contact[4];
    private long[] firstWords = new long[4];
    private long[] lastSeen = new long[4];
    private int[] failures = new int[4];
    /** Each contact's {@link IpPrefix#packed()}, or 0 when its address is not limited. */
    private long[] prefixes = new long[4];
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
        return firstWords[i];
    }

    long lastSeen(int i) {
        return lastSeen[i];
    }

    /** Requests to contact {@code i} that went unanswered since it was last heard from. */
    int failures(int i) {
        return failures[i];
    }

    long prefix(int i) {
        return prefixes[i];
    }

    /** Counts one more unanswered request; answers the new count. */
    int addFailure(int i) {
        return ++failures[i];
    }

    /** The same node (same id) at a new address. */
    void setContact(int i, Contact c) {
        contacts[i] = c;
        prefixes[i] = prefixOf(c);
    }

    int indexOf(NodeId id) {
        long w = id.firstWord();
        for (int i = 0; i < size; i++) {
            if (firstWords[i] == w && contacts[i].id().equals(id)) {
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
        System.arraycopy(firstWords, i + 1, firstWords, i, after);
        System.arraycopy(lastSeen, i + 1, lastSeen, i, after);
        System.arraycopy(failures, i + 1, failures, i, after);
        System.arraycopy(prefixes, i + 1, prefixes, i, after);
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
        long seen = lastSeen[i];
        int failed = failures[i];
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
            int n = size * 2;
            contacts = Arrays.copyOf(contacts, n);
            firstWords = Arrays.copyOf(firstWords, n);
            lastSeen = Arrays.copyOf(lastSeen, n);
            failures = Arrays.copyOf(failures, n);
            prefixes = Arrays.copyOf(prefixes, n);
        }
        int after = size - at;
        System.arraycopy(contacts, at, contacts, at + 1, after);
        System.arraycopy(firstWords, at, firstWords, at + 1, after);
        System.arraycopy(lastSeen, at, lastSeen, at + 1, after);
        System.arraycopy(failures, at, failures, at + 1, after);
        System.arraycopy(prefixes, at, prefixes, at + 1, after);
        contacts[at] = c;
        firstWords[at] = c.id().firstWord();
        lastSeen[at] = seenAt;
        failures[at] = failed;
        prefixes[at] = prefixOf(c);
        size++;
    }

    private static long prefixOf(Contact c) {
        return IpPrefix.isLimited(c.address().getAddress()) ? IpPrefix.of(c.address().getAddress()).packed() : 0;
    }
}
