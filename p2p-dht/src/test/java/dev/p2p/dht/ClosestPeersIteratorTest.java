package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClosestPeersIteratorTest {
    private final Random random = new Random(11);
    private final NodeId target = NodeId.random(random);
    private final ClaimedNodes claimed = new ClaimedNodes();

    private List<Contact> contacts(int n) {
        List<Contact> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Contact(NodeId.random(random), new InetSocketAddress("10.0." + i + ".1", 4000)));
        }
        return out;
    }

    private static List<ClosestPeersIterator.Peer> drain(ClosestPeersIterator it, ClaimedNodes claimed) {
        List<ClosestPeersIterator.Peer> asked = new ArrayList<>();
        ClosestPeersIterator.Peer p;
        while ((p = it.next(claimed)) != null) {
            asked.add(p);
        }
        return asked;
    }

    /** k = 3, alpha = 2: a slow peer is let go once two closer ones answered. */
    private ClosestPeersIterator fiveCandidatesKThreeAlphaTwo() {
        ClosestPeersIterator it = new ClosestPeersIterator(target, NodeId.random(random), 3, 2);
        it.addCandidates(contacts(5), 0);
        return it;
    }

    @Test
    void aSlowPeerWithFewerThanAlphaCloserAnswersGivesUpItsPlaceInFlightButIsStillWaitedForAndItsAnswerCounts() {
        ClosestPeersIterator it = fiveCandidatesKThreeAlphaTwo();
        ClosestPeersIterator.Peer closest = it.next(claimed);
        ClosestPeersIterator.Peer second = it.next(claimed);
        assertNull(it.next(claimed), "alpha = 2 in flight");
        it.onSlow(closest);
        ClosestPeersIterator.Peer third = it.next(claimed);
        assertNotNull(third, "the slow one's place in flight went to the next candidate");
        assertEquals(3, it.awaitingAnswers(), "two in flight, one slow");
        it.onSuccess(second, List.of());
        it.onSuccess(third, List.of());
        int spares = Math.min(ClosestPeersIterator.SPARES, 2); // two candidates are past the k closest
        assertEquals(spares, drain(it, claimed).size(), "stalled: the spares past the k closest are asked");
        assertFalse(it.isFinished(), "the slow one, with no closer answer, is still waited for");
        it.onSuccess(closest, List.of());
        assertTrue(it.isFinished());
        assertTrue(it.closestSucceeded(3).contains(closest), "its late answer counts, in its place by distance");
        assertEquals(spares, it.awaitingAnswers(), "the spares' answers are not needed");
    }

    @Test
    void aPeerNotAnsweredYetWithAlphaCloserAnswersIsNotWaitedForOnceKOthersAnswered() {
        ClosestPeersIterator it = fiveCandidatesKThreeAlphaTwo();
        ClosestPeersIterator.Peer closest = it.next(claimed);
        ClosestPeersIterator.Peer second = it.next(claimed);
        it.onSuccess(closest, List.of());
        it.onSuccess(second, List.of());
        List<ClosestPeersIterator.Peer> rest = drain(it, claimed);
        assertEquals(3, rest.size(), "the third of the k closest and the two spares");
        assertFalse(it.isFinished(), "only two answered");
        it.onSuccess(rest.get(1), List.of());
        assertTrue(it.isFinished(), "done without the third's answer: two closer nodes and k in all answered");
        assertEquals(List.of(closest, second, rest.get(1)), it.closestSucceeded(3));
    }

    @Test
    void withNobodyElseToAnswerAPeerNotAnsweredYetIsWaitedFor() {
        ClosestPeersIterator it = new ClosestPeersIterator(target, NodeId.random(random), 3, 2);
        it.addCandidates(contacts(3), 0);
        ClosestPeersIterator.Peer closest = it.next(claimed);
        ClosestPeersIterator.Peer second = it.next(claimed);
        it.onSuccess(closest, List.of());
        it.onSuccess(second, List.of());
        ClosestPeersIterator.Peer third = it.next(claimed);
        assertNotNull(third);
        assertFalse(it.isFinished(), "fewer than k answered: the third is waited for");
        it.onSuccess(third, List.of());
        assertTrue(it.isFinished());
    }

    @Test
    void asksAlphaAtATimeWhileAnswersBringNodesAmongTheKClosestThenTheRestAndTheSparesOnceOneBringsNone() {
        int k = 6;
        int alpha = 2;
        ClosestPeersIterator it = new ClosestPeersIterator(target, NodeId.random(random), k, alpha);
        it.addCandidates(contacts(12), 0);
        List<ClosestPeersIterator.Peer> first = drain(it, claimed);
        assertEquals(alpha, first.size(), "alpha in flight at first");

        it.onSuccess(first.get(0), List.of(new Contact(closerThanAll(), new InetSocketAddress("10.9.9.9", 4000))));
        List<ClosestPeersIterator.Peer> next = drain(it, claimed);
        assertEquals(1, next.size(), "a node among the k closest arrived: still alpha in flight");
        assertEquals(closerThanAll(), next.get(0).contact.id(), "the closest first");

        it.onSuccess(first.get(1), List.of(new Contact(fartherThanAll(), new InetSocketAddress("10.9.9.8", 4000))));
        List<ClosestPeersIterator.Peer> burst = drain(it, claimed);
        // The 3 unasked of the k closest, then spares, up to k in flight (one is).
        assertEquals(Math.min(k - 3 + ClosestPeersIterator.SPARES, k - 1), burst.size(),
                "an answer with no node among the k closest: the rest of them and the spares at once");

        // A node among the k closest arriving ends the stall: back to alpha in flight.
        NodeId closer = closerThanAll();
        byte[] b = closer.toBytes();
        b[NodeId.BYTES - 1] ^= 3; // closer than all but the first
        it.onSuccess(burst.get(0), List.of(new Contact(NodeId.of(b), new InetSocketAddress("10.9.9.7", 4000))));
        assertNull(it.next(claimed), "more than alpha still in flight: nobody new is asked");
        for (ClosestPeersIterator.Peer p : burst.subList(1, burst.size())) {
            it.onFailure(p);
        }
        it.onFailure(next.get(0));
        ClosestPeersIterator.Peer after = it.next(claimed);
        assertNotNull(after);
        assertEquals(NodeId.of(b), after.contact.id(), "the closest not asked first");
        assertTrue(it.inFlight() <= alpha);
    }

    /** An id farther from the target than every candidate: the target with its first bit flipped. */
    private NodeId fartherThanAll() {
        byte[] b = target.toBytes();
        b[0] ^= (byte) 0x80;
        return NodeId.of(b);
    }

    /** An id closer to the target than every candidate: the target with its last bit flipped. */
    private NodeId closerThanAll() {
        byte[] b = target.toBytes();
        b[NodeId.BYTES - 1] ^= 1;
        return NodeId.of(b);
    }

    /**
     * Answers of up to 25 contacts, drawn with repeats from a pool where many ids share their first
     * 64 bits (so ties are broken on the full ids), sometimes naming the asker itself: the
     * candidates are always every id seen but the asker's, once each, closest first, cut to k * 8.
     */
    @Test
    void answersMergeIntoOneListByDistanceWithoutTheAskerOrRepeats() {
        for (int round = 0; round < 100; round++) {
            Random r = new Random(round);
            NodeId target = NodeId.random(r);
            NodeId self = NodeId.random(r);
            List<Contact> pool = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] id = NodeId.random(r).toBytes();
                if (i % 3 == 1) {
                    System.arraycopy(pool.get(i - 1).id().toBytes(), 0, id, 0, 8); // same first word as the one before
                }
                pool.add(new Contact(NodeId.of(id), new InetSocketAddress("10.1." + i / 250 + "." + (i % 250 + 1), 4000)));
            }
            Contact asker = new Contact(self, new InetSocketAddress("10.2.0.1", 4000));
            ClosestPeersIterator it = new ClosestPeersIterator(target, self, 20, 3);
            java.util.TreeSet<NodeId> expected = new java.util.TreeSet<>(target::compareDistance);
            for (int a = 0; a < 12; a++) {
                List<Contact> answer = new ArrayList<>();
                int n = 1 + r.nextInt(25);
                for (int i = 0; i < n; i++) {
                    answer.add(r.nextInt(30) == 0 ? asker : pool.get(r.nextInt(pool.size())));
                }
                it.addCandidates(answer, 1 + a);
                for (Contact c : answer) {
                    if (!c.id().equals(self)) {
                        expected.add(c.id());
                    }
                }
                while (expected.size() > 20 * 8) {
                    expected.pollLast();
                }
                assertEquals(new ArrayList<>(expected), it.candidateIds(), "round " + round + ", answer " + a);
            }
        }
    }
}
