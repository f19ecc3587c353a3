package dev.p2p.dht;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Up to k contacts sharing one distance range, least recently seen first, plus a replacement cache
 * of up to k contacts that answered while the bucket was full (newest last). Old contacts are kept
 * over new ones (they are likelier to stay online), but a contact that stops answering is replaced.
 *
 * <p>The first 64 bits of each contact's id sit in one array beside the entries: finding an id and
 * ranking contacts by distance (every FIND_NODE answer) then read one short array instead of three
 * objects per contact, which matters when the simulator keeps millions of contacts.
 */
final class KBucket {
    /** A contact in the bucket with what we know of its liveness. */
    static final class Entry {
        private Contact contact;
        /** The contact's {@link IpPrefix#packed()}, or 0 when its address is not limited. */
        private long prefix;
        long lastSeen;
        int failures;

        Entry(Contact contact, long lastSeen) {
            setContact(contact);
            this.lastSeen = lastSeen;
        }

        Contact contact() {
            return contact;
        }

        long prefix() {
            return prefix;
        }

        /** The same node at a new address. */
        void setContact(Contact c) {
            this.contact = c;
            this.prefix = IpPrefix.isLimited(c.address().getAddress()) ? IpPrefix.of(c.address().getAddress()).packed() : 0;
        }
    }

    private Entry[] entries = new Entry[4];
    private long[] firstWords = new long[4];
    private int size;
    final List<Contact> replacements = new ArrayList<>();
    long lastChanged;

    KBucket(long now) {
        this.lastChanged = now;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Entry get(int i) {
        return entries[i];
    }

    /** The first 64 bits of entry {@code i}'s id. */
    long firstWord(int i) {
        return firstWords[i];
    }

    int indexOf(NodeId id) {
        long w = id.firstWord();
        for (int i = 0; i < size; i++) {
            if (firstWords[i] == w && entries[i].contact.id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Adds {@code e} as the most recently seen. */
    void addLast(Entry e) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
            firstWords = Arrays.copyOf(firstWords, size * 2);
        }
        entries[size] = e;
        firstWords[size] = e.contact.id().firstWord();
        size++;
    }

    Entry removeAt(int i) {
        Entry e = entries[i];
        System.arraycopy(entries, i + 1, entries, i, size - i - 1);
        System.arraycopy(firstWords, i + 1, firstWords, i, size - i - 1);
        entries[--size] = null;
        return e;
    }

    /** Moves entry {@code i} to the most-recently-seen end. */
    void moveToTail(int i, long now) {
        Entry e = removeAt(i);
        e.lastSeen = now;
        e.failures = 0;
        addLast(e);
        lastChanged = now;
    }

    /** Moves entry {@code i} to the least-recently-seen end: the first candidate for eviction. */
    void moveToHead(int i) {
        Entry e = removeAt(i);
        System.arraycopy(entries, 0, entries, 1, size);
        System.arraycopy(firstWords, 0, firstWords, 1, size);
        entries[0] = e;
        firstWords[0] = e.contact.id().firstWord();
        size++;
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
}
