package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Kademlia routing table: 256 k-buckets by XOR distance from our own id. Only contacts that
 * answered a request of ours are offered here (see {@link DhtNode}), so an unsolicited claim
 * never enters. A full bucket keeps its old contacts and parks newcomers in a replacement cache
 * until a ping shows an old one dead (ping-before-evict). Contacts of one IP prefix are capped
 * per bucket and per table to make cheap Sybils expensive. Not thread-safe: the node's thread owns it.
 */
public final class RoutingTable {
    /** Failures after which a contact gives way to a waiting replacement. */
    static final int FAILURES_TO_REPLACE = 2;
    /** Failures after which a contact is removed even with no replacement waiting. */
    static final int FAILURES_TO_REMOVE = 4;
    /** A contact not heard from for this long is questionable (BEP 5): pinged before a newcomer is turned away. */
    static final long QUESTIONABLE_AFTER_MILLIS = 15 * 60_000L;
    /** A {@code seenAfter} for {@link #closest} that leaves out failing contacts only. */
    private static final long NOT_FAILING = Long.MIN_VALUE + 1;

    private final NodeId self;
    private final DhtConfig config;
    private final KBucket[] buckets = new KBucket[NodeId.BITS];
    private final BucketSlots slots;
    /**
     * No bucket below this index exists (they are made on first use and kept): the nearest
     * hundreds are empty in any real network, and answers near our own id would walk them all.
     */
    private int lowestBucket = NodeId.BITS;
    private final PrefixCounts prefixCounts = new PrefixCounts();
    /** Selects for {@link #closest}, one call at a time. */
    private final NearestContacts nearest = new NearestContacts();
    private int size;
    /** Told of every contact that leaves the table, whatever the reason. */
    private RemovalListener onRemoved = (c, lastSeen) -> { };
    /** Told of every replacement that takes a removed contact's place. */
    private Consumer<Contact> onPromoted = c -> { };

    /** Told of a contact that left the table, and when it was last heard from. */
    interface RemovalListener {
        void removed(Contact contact, long lastSeenMillis);
    }

    public RoutingTable(NodeId self, DhtConfig config) {
        this.self = self;
        this.config = config;
        this.slots = new BucketSlots(config.k());
    }

    public NodeId self() {
        return self;
    }

    /** {@code listener} is told of every contact that leaves the table from now on. */
    void onRemoved(RemovalListener listener) {
        onRemoved = listener;
    }

    /**
     * {@code listener} is told of every replacement that takes a removed contact's place from now
     * on. A replacement was heard from when it was parked, maybe long ago, and under churn it may
     * have left since.
     */
    void onPromoted(Consumer<Contact> listener) {
        onPromoted = listener;
    }

    public int size() {
        return size;
    }

    public boolean contains(NodeId id) {
        int index = self.bucketIndex(id);
        return index >= 0 && slots.indexOf(index, id) >= 0;
    }

    /** True when {@code id} is a contact of ours at {@code address}: it proved its id there. */
    public boolean knows(NodeId id, InetSocketAddress address) {
        KBucket b = bucketFor(id, false, 0);
        int i = b == null ? -1 : b.indexOf(id);
        return i >= 0 && Contact.sameAddress(b.contact(i).address(), address);
    }

    /** Offers a contact that just answered us (or is being restored from disk). */
    public InsertResult offer(Contact contact, long now) {
        int index = self.bucketIndex(contact.id());
        if (index < 0) {
            return new InsertResult.Rejected("own id");
        }
        KBucket b = bucketFor(contact.id(), true, now);
        int i = b.indexOf(contact.id());
        if (i >= 0) {
            Contact known = b.contact(i);
            if (!Contact.sameAddress(known.address(), contact.address())) {
                if (b.failures(i) == 0) {
                    // A live contact keeps its address: a newcomer claiming its id elsewhere is not believed.
                    return new InsertResult.Rejected("id already known at another address");
                }
                changePrefixCount(known, -1);
                b.setContact(i, contact);
                changePrefixCount(contact, 1);
            }
            b.moveToTail(i, now);
            return new InsertResult.Updated();
        }
        if (!prefixAllows(b, contact)) {
            return new InsertResult.Rejected("too many contacts from one IP prefix");
        }
        if (b.size() < config.k()) {
            add(b, contact, now);
            return new InsertResult.Added();
        }
        if (b.failures(0) >= FAILURES_TO_REPLACE) {
            remove(b, 0);
            add(b, contact, now);
            return new InsertResult.Added();
        }
        b.addReplacement(contact, config.k());
        return now - b.lastSeen(0) >= QUESTIONABLE_AFTER_MILLIS ? new InsertResult.Pending(b.contact(0)) : new InsertResult.Cached();
    }

    /**
     * True when a node with {@code id} that asked us something is worth a ping to let it in: its
     * bucket has a free slot. A full bucket does not go out of its way for requesters (its
     * questionable contacts are checked when the answerers of our own requests come along, see
     * {@link #offer}, and a failing one when a requester comes along, see {@link #failingHead}):
     * under churn, verifying requesters had been about half of all datagrams.
     */
    public boolean hasRoomFor(NodeId id) {
        int index = self.bucketIndex(id);
        if (index < 0) {
            return false;
        }
        KBucket b = buckets[index];
        return b == null || b.size() < config.k();
    }

    /**
     * The least recently seen contact of {@code id}'s full bucket when it has missed a request
     * since it was last heard from, else null: a node asking us something is a sign that the
     * bucket's range is busy, so the failing contact is worth one ping to make room.
     */
    public Contact failingHead(NodeId id) {
        int index = self.bucketIndex(id);
        KBucket b = index < 0 ? null : buckets[index];
        if (b == null || b.size() < config.k() || b.failures(0) == 0) {
            return null;
        }
        return b.contact(0);
    }

    /**
     * A message from a known contact at its known address: it becomes the most recently seen of
     * its bucket. From another address it changes nothing (a spoofer must not keep a dead entry alive).
     */
    public void touch(Contact contact, long now) {
        touch(contact.id(), contact.address(), now);
    }

    /**
     * A contact answered the ping sweep at its known address: it becomes the most recently seen,
     * and the bucket still counts as unrefreshed if no lookup went into its range (see {@link KBucket#confirm}).
     */
    public void confirmed(Contact contact, long now) {
        KBucket b = bucketFor(contact.id(), false, now);
        int i = b == null ? -1 : b.indexOf(contact.id());
        if (i >= 0 && Contact.sameAddress(b.contact(i).address(), contact.address())) {
            b.confirm(i, now);
        }
    }

    /** As {@link #touch(Contact, long)}, without a Contact made for it; true when one was touched. */
    public boolean touch(NodeId id, InetSocketAddress address, long now) {
        KBucket b = bucketFor(id, false, now);
        int i = b == null ? -1 : b.indexOf(id);
        if (i >= 0 && Contact.sameAddress(b.contact(i).address(), address)) {
            b.moveToTail(i, now);
            return true;
        }
        return false;
    }

    /**
     * A request to {@code id} went unanswered. After repeated failures the contact gives way to
     * the newest replacement, or is removed; returns true when it left the table.
     */
    public boolean failed(NodeId id) {
        KBucket b = bucketFor(id, false, 0);
        int i = b == null ? -1 : b.indexOf(id);
        if (i < 0) {
            return false;
        }
        int failures = b.addFailure(i);
        long lastSeen = b.lastSeen(i);
        boolean hasReplacement = !b.replacements.isEmpty();
        if ((failures >= FAILURES_TO_REPLACE && hasReplacement) || failures >= FAILURES_TO_REMOVE) {
            remove(b, i);
            promoteReplacement(b, lastSeen);
            return true;
        }
        return false;
    }

    /** A contact sent junk: it becomes the first candidate for eviction. */
    public void demote(NodeId id) {
        KBucket b = bucketFor(id, false, 0);
        int i = b == null ? -1 : b.indexOf(id);
        if (i >= 0) {
            b.addFailure(i);
            b.moveToHead(i);
        }
    }

    /** Removes a contact outright (e.g. it answered with another id). */
    public void remove(NodeId id) {
        KBucket b = bucketFor(id, false, 0);
        int i = b == null ? -1 : b.indexOf(id);
        if (i >= 0) {
            remove(b, i);
            promoteReplacement(b, 0);
        }
    }

    /** True when {@code id} is a contact of ours, or a replacement waiting for a place, at {@code address}. */
    public boolean holds(NodeId id, InetSocketAddress address) {
        if (knows(id, address)) {
            return true;
        }
        KBucket b = bucketFor(id, false, 0);
        return b != null && b.replacementAt(id, address) >= 0;
    }

    /**
     * {@code id} said, at {@code address}, that it leaves the network: it goes from its bucket or
     * its replacement cache at once, and a replacement takes its place. It is not reported as
     * lost ({@link #onRemoved}): a node that left on purpose is no sign of a cut to heal.
     */
    public void departed(NodeId id, InetSocketAddress address) {
        KBucket b = bucketFor(id, false, 0);
        if (b == null) {
            return;
        }
        int r = b.replacementAt(id, address);
        if (r >= 0) {
            b.replacements.remove(r);
        }
        int i = b.indexOf(id);
        if (i >= 0 && Contact.sameAddress(b.contact(i).address(), address)) {
            long lastSeen = b.lastSeen(i);
            removeQuietly(b, i);
            promoteReplacement(b, lastSeen);
        }
    }

    /** Up to {@code n} contacts closest to {@code target}, closest first. */
    public List<Contact> closest(NodeId target, int n) {
        return closest(target, n, null, Long.MIN_VALUE);
    }

    /**
     * What we tell others: up to {@code n} contacts closest to {@code target}, leaving out
     * {@code exclude} (the asker) and all but "good" nodes (BEP 5): contacts whose last request
     * failed, and contacts not heard from within {@code heardWithinMillis} (at {@code now}). Under
     * churn many of those are gone, and each would cost the asker a timeout; a live one is heard
     * from again within the ping sweep's period and handed out again. A table with fewer than
     * {@code n} good contacts (a small or quiet network) hands out its questionable ones too,
     * rather than leave a newcomer with nobody to ask.
     */
    public List<Contact> closestForOthers(NodeId target, int n, NodeId exclude, long now, long heardWithinMillis) {
        List<Contact> good = closest(target, n, exclude, now - heardWithinMillis);
        return good.size() == n ? good : closest(target, n, exclude, NOT_FAILING);
    }

    /**
     * @param seenAfter leave out contacts last heard from at or before this time, and failing ones;
     *     {@link Long#MIN_VALUE} keeps all, {@link #NOT_FAILING} leaves out only the failing
     */
    private List<Contact> closest(NodeId target, int n, NodeId exclude, long seenAfter) {
        // Buckets hold disjoint ranges of distance to the target, so they can be visited closest
        // range first and the walk can stop at the first bucket after which n are kept (rust-libp2p's
        // ClosestBucketsIter). With d = our distance to the target and b its top bit (the target's
        // bucket), a contact of bucket i has distance d ^ e, e's top bit being i:
        // - bucket b: below 2^b, the closest of all;
        // - bucket i < b: the bits above i are d's and bit i is the opposite of d's, so it comes
        //   before every lower bucket when d has bit i set, and after them when not: first those
        //   with bit i set, from b - 1 down, then those without, from the bottom up;
        // - bucket i > b: in [2^i, 2^(i+1)), outward in order.
        int b = self.bucketIndex(target);
        NearestContacts nearest = this.nearest;
        nearest.reset(target, n, exclude, seenAfter);
        if (b >= 0) {
            offerAll(nearest, b);
        }
        int top = b < 0 ? NodeId.BITS : b;
        for (int i = top - 1; i >= lowestBucket && !nearest.isFull(); i--) {
            if (self.distanceBit(target, i)) {
                offerAll(nearest, i);
            }
        }
        for (int i = lowestBucket; i < top && !nearest.isFull(); i++) {
            if (!self.distanceBit(target, i)) {
                offerAll(nearest, i);
            }
        }
        for (int i = b + 1; i < NodeId.BITS && !nearest.isFull(); i++) {
            offerAll(nearest, i);
        }
        return nearest.toList();
    }

    /** Every contact, bucket by bucket from the nearest. */
    public List<Contact> contacts() {
        List<Contact> out = new ArrayList<>(size);
        for (KBucket b : buckets) {
            addAll(out, b);
        }
        return out;
    }

    /** Indices of non-empty buckets untouched since {@code before}. */
    public List<Integer> staleBuckets(long before) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < buckets.length; i++) {
            KBucket b = buckets[i];
            if (b != null && !b.isEmpty() && b.lastChanged < before) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * A lookup of {@code target} just started from here: it refreshes the target's bucket, which
     * then needs no refresh lookup of its own for a while (Kademlia, section 2.3: a bucket is
     * refreshed when no lookup went into its range for an hour; BEP 5 says 15 minutes).
     */
    public void lookedUp(NodeId target, long now) {
        int index = self.bucketIndex(target);
        if (index >= 0) {
            markRefreshed(index, now);
        }
    }

    /**
     * The bucket of our {@code k}-th closest contact, or of the farthest one when there are fewer:
     * buckets up to it hold our k closest (every contact of a nearer bucket is closer to us than
     * any of a farther one), -1 when the table is empty.
     */
    public int neighbourhoodBucket(int k) {
        int seen = 0;
        int last = -1;
        for (int i = 0; i < buckets.length; i++) {
            KBucket b = buckets[i];
            if (b != null && !b.isEmpty()) {
                last = i;
                seen += b.size();
                if (seen >= k) {
                    return i;
                }
            }
        }
        return last;
    }

    /** True when bucket {@code index} holds k contacts: a lookup into its range could add none of what it finds. */
    public boolean isFull(int index) {
        KBucket b = buckets[index];
        return b != null && b.size() >= config.k();
    }

    /**
     * The contacts to ping now to learn whether they are still there: in each bucket whose last
     * such sweep is {@code interval} old, those not heard from for as long, or that missed a
     * request since. A bucket's activity does not put its sweep off: one busy
     * contact says nothing about the other nineteen (mldht's ping refresh).
     */
    public List<Contact> questionableToPing(long now, long interval) {
        List<Contact> out = new ArrayList<>();
        for (KBucket b : buckets) {
            if (b == null || b.isEmpty() || now - b.lastSwept < interval) {
                continue;
            }
            b.lastSwept = now;
            for (int i = 0; i < b.size(); i++) {
                if (b.failures(i) > 0 || now - b.lastSeen(i) >= interval) {
                    out.add(b.contact(i));
                }
            }
        }
        return out;
    }

    /** Marks a bucket as just refreshed. */
    public void markRefreshed(int index, long now) {
        if (buckets[index] != null) {
            buckets[index].lastChanged = now;
        }
    }

    /** How many contacts sit in each bucket (index = bucket), for diagnostics. */
    public int[] bucketSizes() {
        int[] sizes = new int[NodeId.BITS];
        for (int i = 0; i < buckets.length; i++) {
            sizes[i] = buckets[i] == null ? 0 : buckets[i].size();
        }
        return sizes;
    }

    private void offerAll(NearestContacts nearest, int bucket) {
        if (bucket < lowestBucket) {
            return;
        }
        int base = slots.base(bucket);
        for (int s = base, end = base + slots.size(bucket); s < end; s++) {
            nearest.offer(slots.word(s), slots, s);
        }
    }

    private static void addAll(List<Contact> out, KBucket b) {
        if (b != null) {
            for (int i = 0; i < b.size(); i++) {
                out.add(b.contact(i));
            }
        }
    }

    private KBucket bucketFor(NodeId id, boolean create, long now) {
        int index = self.bucketIndex(id);
        if (index < 0) {
            return null;
        }
        if (buckets[index] == null && create) {
            buckets[index] = new KBucket(slots, index, now);
            lowestBucket = Math.min(lowestBucket, index);
        }
        return buckets[index];
    }

    private boolean prefixAllows(KBucket b, Contact c) {
        long prefix = c.prefix();
        if (prefix == 0) {
            return true;
        }
        if (prefixCounts.get(prefix) >= config.maxPerPrefixInTable()) {
            return false;
        }
        int inBucket = 0;
        for (int i = 0; i < b.size(); i++) {
            if (b.prefix(i) == prefix) {
                inBucket++;
            }
        }
        return inBucket < config.maxPerPrefixInBucket();
    }

    private void add(KBucket b, Contact c, long now) {
        b.addLast(c, now);
        b.replacements.removeIf(r -> r.id().equals(c.id()));
        b.lastChanged = now;
        changePrefixCount(c, 1);
        size++;
    }

    private void remove(KBucket b, int i) {
        long lastSeen = b.lastSeen(i);
        onRemoved.removed(removeQuietly(b, i), lastSeen);
    }

    private Contact removeQuietly(KBucket b, int i) {
        Contact gone = b.removeAt(i);
        changePrefixCount(gone, -1);
        size--;
        return gone;
    }

    private void promoteReplacement(KBucket b, long lastSeen) {
        Contact r;
        while ((r = b.takeReplacement()) != null) {
            if (prefixAllows(b, r)) {
                add(b, r, lastSeen);
                onPromoted.accept(r);
                return;
            }
        }
    }

    private void changePrefixCount(Contact c, int delta) {
        if (c.prefix() != 0) {
            prefixCounts.add(c.prefix(), delta);
        }
    }
}
