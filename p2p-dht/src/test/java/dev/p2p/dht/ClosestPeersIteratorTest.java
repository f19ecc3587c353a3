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
        assertNull(it.next(claimed), "the slow one, with no closer answer, still counts among the k closest: nobody beyond them is asked");
        assertFalse(it.isFinished(), "the slow one is still waited for");
        it.onSuccess(closest, List.of());
        assertTrue(it.isFinished());
        assertTrue(it.closestSucceeded(3).contains(closest), "its late answer counts, in its place by distance");
        assertEquals(0, it.awaitingAnswers());
    }

    @Test
    void aSlowPeerWithAlphaCloserAnswersIsNotWaitedForAndTheNextCandidateTakesItsPlaceAmongTheKClosest() {
        ClosestPeersIterator it = fiveCandidatesKThreeAlphaTwo();
        ClosestPeersIterator.Peer closest = it.next(claimed);
        ClosestPeersIterator.Peer second = it.next(claimed);
        it.onSuccess(closest, List.of());
        it.onSuccess(second, List.of());
        ClosestPeersIterator.Peer third = it.next(claimed);
        assertNull(it.next(claimed), "the k closest are asked");
        it.onSlow(third);
        ClosestPeersIterator.Peer fourth = it.next(claimed);
        assertNotNull(fourth, "two closer nodes answered: the slow one no longer holds a place among the k closest");
        assertFalse(it.isFinished(), "the fourth is waited for");
        it.onSuccess(fourth, List.of());
        assertTrue(it.isFinished(), "done without the slow one's answer");
        assertEquals(List.of(closest, second, fourth), it.closestSucceeded(3));
    }

    @Test
    void asksAlphaAtATimeWhileAnswersBringCloserNodesThenAllOfTheKClosestOnceTheyStopComing() {
        int k = 6;
        int alpha = 2;
        ClosestPeersIterator it = new ClosestPeersIterator(target, NodeId.random(random), k, alpha);
        it.addCandidates(contacts(12), 0);
        List<ClosestPeersIterator.Peer> first = drain(it, claimed);
        assertEquals(alpha, first.size(), "alpha in flight at first");

        // Both answer with nothing new: two answers in a row without progress, so the lookup has stalled.
        it.onSuccess(first.get(0), List.of());
        it.onSuccess(first.get(1), List.of());
        List<ClosestPeersIterator.Peer> burst = drain(it, claimed);
        assertEquals(k - alpha, burst.size(), "the rest of the k closest, at once");

        // A closer node arriving ends the stall: back to alpha in flight.
        NodeId closer = closerThanAll();
        it.onSuccess(burst.get(0), List.of(new Contact(closer, new InetSocketAddress("10.9.9.9", 4000))));
        assertNull(it.next(claimed), "k - 1 still in flight, more than alpha: nobody new is asked");
        for (ClosestPeersIterator.Peer p : burst.subList(1, burst.size())) {
            it.onFailure(p);
        }
        ClosestPeersIterator.Peer next = it.next(claimed);
        assertNotNull(next);
        assertEquals(closer, next.contact.id(), "the closest first");
        assertTrue(it.inFlight() <= alpha);
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
