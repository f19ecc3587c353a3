package dev.p2p.dht;

import java.util.ArrayList;
import java.util.List;

/**
 * Up to k contacts sharing one distance range, least recently seen first, plus a replacement cache
 * of up to k contacts that answered while the bucket was full (newest last). Old contacts are kept
 * over new ones (they are likelier to stay online), but a contact that stops answering is replaced.
 */
final class KBucket {
    /** A contact in the bucket with what we know of its liveness. */
    static final class Entry {
        Contact contact;
        long lastSeen;
        int failures;

        Entry(Contact contact, long lastSeen) {
            this.contact = contact;
            this.lastSeen = lastSeen;
        }
    }

    final List<Entry> entries = new ArrayList<>();
    final List<Contact> replacements = new ArrayList<>();
    long lastChanged;

    KBucket(long now) {
        this.lastChanged = now;
    }

    int indexOf(NodeId id) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).contact.id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Moves entry {@code i} to the most-recently-seen end. */
    void moveToTail(int i, long now) {
        Entry e = entries.remove(i);
        e.lastSeen = now;
        e.failures = 0;
        entries.add(e);
        lastChanged = now;
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
