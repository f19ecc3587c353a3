package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    final Random random = new Random(7);
    final NodeId self = NodeId.random(random);
    final DhtConfig config = DhtConfig.defaults();
    int nextHost = 1;

    /** A contact in bucket {@code bucket}, on its own /24 so prefix limits stay out of the way. */
    Contact contactIn(int bucket) {
        int h = nextHost++;
        return new Contact(NodeId.randomInBucket(self, bucket, random), address(new byte[] {(byte) 100, (byte) (h >> 8), (byte) h, 1}));
    }

    static InetSocketAddress address(byte[] ip) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 4000);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bucketIndexCountsSharedPrefix() {
        for (int bucket : new int[] {0, 1, 7, 8, 100, 254, 255}) {
            assertEquals(bucket, self.bucketIndex(NodeId.randomInBucket(self, bucket, random)));
        }
        assertEquals(-1, self.bucketIndex(self));
    }

    @Test
    void aReplacementThatTakesAFailingContactsPlaceIsToldToTheListenerToBeChecked() {
        RoutingTable t = new RoutingTable(self, config);
        List<Contact> promoted = new ArrayList<>();
        t.onPromoted(promoted::add);
        List<Contact> first = new ArrayList<>();
        for (int i = 0; i < config.k(); i++) {
            first.add(contactIn(255));
            t.offer(first.get(i), i);
        }
        Contact parked = contactIn(255);
        assertInstanceOf(InsertResult.Cached.class, t.offer(parked, 100));
        Contact failing = first.get(5);
        for (int i = 0; i < RoutingTable.FAILURES_TO_REPLACE; i++) {
            t.failed(failing.id());
        }
        assertFalse(t.contains(failing.id()));
        assertTrue(t.contains(parked.id()));
        assertEquals(List.of(parked), promoted);
    }

    @Test
    void fullBucketParksNewcomerAndAsksToPingTheLeastRecentlySeen() {
        RoutingTable t = new RoutingTable(self, config);
        List<Contact> first = new ArrayList<>();
        for (int i = 0; i < config.k(); i++) {
            Contact c = contactIn(255);
            first.add(c);
            assertInstanceOf(InsertResult.Added.class, t.offer(c, i));
        }
        Contact early = contactIn(255);
        assertInstanceOf(InsertResult.Cached.class, t.offer(early, 100), "everyone was seen recently: no ping");
        assertFalse(t.hasRoomFor(contactIn(255).id()));
        long later = RoutingTable.QUESTIONABLE_AFTER_MILLIS + 50;
        assertFalse(t.hasRoomFor(contactIn(255).id()), "questionable is not failing: requesters are not verified for it");
        Contact newcomer = contactIn(255);
        InsertResult r = t.offer(newcomer, later);
        assertEquals(new InsertResult.Pending(first.get(0)), r, "the least recently seen is questionable now: ping it");
        assertFalse(t.contains(newcomer.id()));
        assertNull(t.failingHead(contactIn(255).id()), "questionable is not failing");
        assertFalse(t.failed(first.get(0).id()), "one miss is not enough to replace it");
        assertFalse(t.hasRoomFor(contactIn(255).id()), "still no free slot for requesters");
        assertEquals(first.get(0), t.failingHead(contactIn(255).id()), "but the failing contact is worth a ping when one asks");

        // the old contact failed to answer the ping: it is evicted and the newcomer takes its place
        t.remove(first.get(0).id());
        assertTrue(t.contains(newcomer.id()));
        assertFalse(t.contains(first.get(0).id()));
        assertEquals(config.k(), t.size());
    }

    @Test
    void touchedContactIsNoLongerFirstToBeEvicted() {
        RoutingTable t = new RoutingTable(self, config);
        List<Contact> cs = new ArrayList<>();
        for (int i = 0; i < config.k(); i++) {
            cs.add(contactIn(255));
            t.offer(cs.get(i), i);
        }
        t.touch(new Contact(cs.get(1).id(), address(new byte[] {(byte) 198, 51, 100, 1})), 40); // spoofed: no effect
        long later = RoutingTable.QUESTIONABLE_AFTER_MILLIS + 50;
        t.touch(cs.get(0), later - 10);
        assertEquals(new InsertResult.Pending(cs.get(1)), t.offer(contactIn(255), later));
    }

    @Test
    void repeatedFailuresReplaceAContactWithTheNewestReplacement() {
        RoutingTable t = new RoutingTable(self, config);
        List<Contact> cs = new ArrayList<>();
        for (int i = 0; i < config.k(); i++) {
            cs.add(contactIn(200));
            t.offer(cs.get(i), i);
        }
        Contact older = contactIn(200);
        Contact newest = contactIn(200);
        t.offer(older, 30);
        t.offer(newest, 31);
        Contact victim = cs.get(5);
        assertFalse(t.failed(victim.id()), "one lost packet is not death");
        assertTrue(t.failed(victim.id()));
        assertFalse(t.contains(victim.id()));
        assertTrue(t.contains(newest.id()));
        assertFalse(t.contains(older.id()));
    }

    @Test
    void deadContactIsRemovedEvenWithoutReplacement() {
        RoutingTable t = new RoutingTable(self, config);
        Contact c = contactIn(10);
        t.offer(c, 0);
        for (int i = 0; i < RoutingTable.FAILURES_TO_REMOVE - 1; i++) {
            assertFalse(t.failed(c.id()));
        }
        assertTrue(t.failed(c.id()));
        assertEquals(0, t.size());
    }

    @Test
    void ipPrefixIsLimitedPerBucketAndPerTableButLoopbackIsExempt() {
        RoutingTable t = new RoutingTable(self, config.withPrefixLimits(2, 3));
        byte[][] ips = {{(byte) 203, 0, 113, 1}, {(byte) 203, 0, 113, 2}, {(byte) 203, 0, 113, 3}};
        assertInstanceOf(InsertResult.Added.class, t.offer(new Contact(NodeId.randomInBucket(self, 255, random), address(ips[0])), 0));
        assertInstanceOf(InsertResult.Added.class, t.offer(new Contact(NodeId.randomInBucket(self, 255, random), address(ips[1])), 0));
        assertInstanceOf(InsertResult.Rejected.class, t.offer(new Contact(NodeId.randomInBucket(self, 255, random), address(ips[2])), 0));
        assertInstanceOf(InsertResult.Added.class, t.offer(new Contact(NodeId.randomInBucket(self, 254, random), address(ips[2])), 0));
        assertInstanceOf(InsertResult.Rejected.class, t.offer(new Contact(NodeId.randomInBucket(self, 253, random), address(ips[2])), 0),
                "table-wide limit of 3 per /24");
        for (int i = 0; i < 10; i++) {
            Contact local = new Contact(NodeId.randomInBucket(self, 255, random), new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000 + i));
            assertInstanceOf(InsertResult.Added.class, t.offer(local, 0));
        }
    }

    @Test
    void liveContactKeepsItsAddressAgainstAnImpostor() {
        RoutingTable t = new RoutingTable(self, config);
        Contact c = contactIn(255);
        t.offer(c, 0);
        Contact impostor = new Contact(c.id(), address(new byte[] {(byte) 198, 51, 100, 9}));
        assertInstanceOf(InsertResult.Rejected.class, t.offer(impostor, 1));
        assertEquals(c.address(), t.closest(c.id(), 1).get(0).address());
    }

    @Test
    void closestMatchesBruteForceOrder() {
        RoutingTable t = new RoutingTable(self, config);
        List<Contact> all = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Contact c = new Contact(NodeId.random(random), new InetSocketAddress(InetAddress.getLoopbackAddress(), 1 + i));
            if (t.offer(c, i) instanceof InsertResult.Added) {
                all.add(c);
            }
        }
        for (int q = 0; q < 300; q++) {
            // Far targets, contacts' own ids, and targets in every bucket near us (where the walk
            // order among nearer buckets decides), for several answer sizes.
            NodeId target = switch (q % 3) {
                case 0 -> NodeId.random(random);
                case 1 -> all.get(random.nextInt(all.size())).id();
                default -> q % 50 == 2 ? self : NodeId.randomInBucket(self, 255 - random.nextInt(30), random);
            };
            int n = new int[] {1, 7, 20, 100}[q % 4];
            List<Contact> expected = new ArrayList<>(all);
            expected.sort(Comparator.comparing(c -> c.id().xor(target)));
            assertEquals(expected.subList(0, n), t.closest(target, n), "target " + target + ", n " + n);
        }
    }

    @Test
    void closestForOthersLeavesOutTheAskerAndFailingAndQuestionableContactsEvenWhenIdsShareTheirFirst64Bits() {
        RoutingTable t = new RoutingTable(self, config);
        byte[] prefix = new byte[8];
        random.nextBytes(prefix);
        List<Contact> all = new ArrayList<>();
        java.util.Map<Contact, Long> seenAt = new java.util.HashMap<>();
        for (int i = 0; i < 600; i++) {
            byte[] id = new byte[NodeId.BYTES];
            random.nextBytes(id);
            if (i % 3 == 0) {
                System.arraycopy(prefix, 0, id, 0, 8); // ties on the first word: the full ids decide
            }
            Contact c = new Contact(NodeId.of(id), new InetSocketAddress(InetAddress.getLoopbackAddress(), 1 + i));
            if (t.offer(c, i) instanceof InsertResult.Added) {
                all.add(c);
                seenAt.put(c, (long) i);
            }
        }
        List<Contact> failing = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 7) {
            t.failed(all.get(i).id());
            if (t.contains(all.get(i).id())) {
                failing.add(all.get(i));
            }
        }
        for (int q = 0; q < 40; q++) {
            byte[] tb = new byte[NodeId.BYTES];
            random.nextBytes(tb);
            if (q % 2 == 0) {
                System.arraycopy(prefix, 0, tb, 0, 8);
            }
            NodeId target = NodeId.of(tb);
            Contact asker = all.get(random.nextInt(all.size()));
            List<Contact> expected = new ArrayList<>(t.contacts());
            expected.sort(Comparator.comparing(c -> c.id().xor(target)));
            assertEquals(expected.subList(0, 20), t.closest(target, 20), "own use: every contact");
            expected.removeIf(c -> c.equals(asker) || failing.contains(c));
            assertEquals(expected.subList(0, 20), t.closestForOthers(target, 20, asker.id(), 600, RoutingTable.QUESTIONABLE_AFTER_MILLIS), "for others: no asker, no failing");
            long cut = seenAt.values().stream().sorted().skip(seenAt.size() / 3).findFirst().orElseThrow();
            long now = RoutingTable.QUESTIONABLE_AFTER_MILLIS + cut; // a third, seen at cut or before, is questionable
            expected.removeIf(c -> seenAt.get(c) <= cut);
            assertEquals(expected.subList(0, 20), t.closestForOthers(target, 20, asker.id(), now, RoutingTable.QUESTIONABLE_AFTER_MILLIS), "for others: only good nodes");
        }
    }

    @Test
    void aTableWithTooFewGoodContactsHandsOutItsQuestionableOnesButNotItsFailingOnes() {
        RoutingTable t = new RoutingTable(self, config);
        List<Contact> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Contact c = new Contact(NodeId.random(random), new InetSocketAddress(InetAddress.getLoopbackAddress(), 1 + i));
            t.offer(c, 0);
            all.add(c);
        }
        t.failed(all.get(0).id());
        NodeId target = NodeId.random(random);
        long later = RoutingTable.QUESTIONABLE_AFTER_MILLIS + 1; // none heard from since 0: all questionable
        List<Contact> expected = new ArrayList<>(all.subList(1, 6));
        expected.sort(Comparator.comparing(c -> c.id().xor(target)));
        assertEquals(expected, t.closestForOthers(target, 20, null, later, RoutingTable.QUESTIONABLE_AFTER_MILLIS), "quiet small network: questionable ones still count");
    }

    @Test
    void staleBucketsAreThoseNotTouchedSinceTheCutoff() {
        RoutingTable t = new RoutingTable(self, config);
        t.offer(contactIn(100), 1_000);
        t.offer(contactIn(200), 5_000);
        assertEquals(List.of(100), t.staleBuckets(2_000));
        t.markRefreshed(100, 6_000);
        assertEquals(List.of(), t.staleBuckets(2_000));
    }

    @Test
    void theNeighbourhoodEndsAtTheBucketOfTheKthClosestContact() {
        RoutingTable t = new RoutingTable(self, config);
        assertEquals(-1, t.neighbourhoodBucket(3));
        t.offer(contactIn(10), 1_000);
        t.offer(contactIn(200), 1_000);
        assertEquals(200, t.neighbourhoodBucket(3), "fewer than k: every contact is a neighbour");
        t.offer(contactIn(12), 1_000);
        t.offer(contactIn(12), 1_000);
        assertEquals(12, t.neighbourhoodBucket(3));
        assertEquals(10, t.neighbourhoodBucket(1));
    }

    @Test
    void aLookupIntoABucketsRangeRefreshesIt() {
        RoutingTable t = new RoutingTable(self, config);
        t.offer(contactIn(100), 1_000);
        t.offer(contactIn(200), 1_000);
        t.lookedUp(contactIn(200).id(), 4_000);
        assertEquals(List.of(100), t.staleBuckets(2_000), "only the bucket no lookup went into");
        t.lookedUp(self, 4_000); // our own id has no bucket
        assertEquals(List.of(100), t.staleBuckets(2_000));
    }
}
