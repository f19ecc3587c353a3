package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
