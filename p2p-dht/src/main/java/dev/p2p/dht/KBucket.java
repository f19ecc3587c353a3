package dev.p2p.dht;

import java.util.ArrayList;
import java.util.List;

/**
 * Up to k contacts sharing one distance range, least recently seen first, plus a replacement cache
 * of up to k contacts that answered while the bucket was full (newest last). Old contacts are kept
 * over new ones (they are likelier to stay online), but a contact that stops answering is replaced.
 *
 * <p>The contacts themselves live in the table's {@link BucketSlots}, beside those of the other
 * buckets; this object holds what is read rarely (replacements, refresh and sweep times) and
 * addresses its slots by position in the bucket.
 */
final class KBucket {
    private final BucketSlots slots;
    private final int index;
    final List<Contact> replacements = new ArrayList<>();
    /** When a lookup went into this bucket's range or one of its contacts was last heard from. */
    long lastChanged;
    /** When its questionable contacts were last pinged ({@link RoutingTable#questionableToPing}). */
    long lastSwept;

    KBucket(BucketSlots slots, int index, long now) {
        this.slots = slots;
        this.index = index;
        this.lastChanged = now;
        this.lastSwept = now;
        slots.reach(index);
    }

    int size() {
        return slots.size(index);
    }

    boolean isEmpty() {
        return size() == 0;
    }

    Contact contact(int i) {
        return slots.contact(slot(i));
    }

    long lastSeen(int i) {
        return slots.lastSeen(slot(i));
    }

    /** Requests to contact {@code i} that went unanswered since it was last heard from. */
    int failures(int i) {
        return slots.failures(slot(i));
    }

    long prefix(int i) {
        return slots.prefix(slot(i));
    }

    /** Counts one more unanswered request; answers the new count. */
    int addFailure(int i) {
        return slots.addFailure(slot(i));
    }

    /** The same node (same id) at a new address. */
    void setContact(int i, Contact c) {
        slots.setContact(slot(i), c);
    }

    int indexOf(NodeId id) {
        int s = slots.indexOf(index, id);
        return s < 0 ? -1 : s - slots.base(index);
    }

    /** Adds {@code c} as the most recently seen, with no failures. */
    void addLast(Contact c, long seenAt) {
        slots.insert(index, size(), c, seenAt, 0);
    }

    Contact removeAt(int i) {
        return slots.removeAt(index, i);
    }

    /** Moves contact {@code i} to the most-recently-seen end, seen now and with no failures. */
    void moveToTail(int i, long now) {
        slots.moveToEnd(index, i, now);
        lastChanged = now;
    }

    /**
     * As {@link #moveToTail}, but the bucket's refresh time stays: a contact answering our ping
     * sweep says nothing about whether the bucket's range holds nodes we do not know yet.
     */
    void confirm(int i, long now) {
        slots.moveToEnd(index, i, now);
    }

    /** Moves contact {@code i} to the least-recently-seen end: the first candidate for eviction. */
    void moveToHead(int i) {
        long seen = lastSeen(i);
        int failed = failures(i);
        Contact c = removeAt(i);
        slots.insert(index, 0, c, seen, failed);
    }

    void addReplacement(Contact c, int max) {
        replacements.removeIf(r -> r.id().equals(c.id()));
        replacements.add(c);
        if (replacements.size() > max) {
            replacements.remove(0);
        }
    }

    /** Where {@code id} waits among the replacements at {@code address}, or -1. */
    int replacementAt(NodeId id, java.net.InetSocketAddress address) {
        for (int r = 0; r < replacements.size(); r++) {
            Contact c = replacements.get(r);
            if (c.id().equals(id) && Contact.sameAddress(c.address(), address)) {
                return r;
            }
        }
        return -1;
    }

    /** Removes and returns the newest replacement, or null. */
    Contact takeReplacement() {
        return replacements.isEmpty() ? null : replacements.remove(replacements.size() - 1);
    }

    private int slot(int i) {
        return slots.base(index) + i;
    }
}
