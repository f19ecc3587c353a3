package dev.p2p.sim.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.p2p.dht.NodeId;
import dev.p2p.sim.engine.SplitMixRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClosestIndexTest {
    private static NodeId bruteForce(List<NodeId> ids, NodeId target) {
        NodeId best = null;
        for (NodeId id : ids) {
            if (best == null || target.compareDistance(id, best) < 0) {
                best = id;
            }
        }
        return best;
    }

    /** Adds {@code n} random ids to {@code index}; returns them. */
    private static List<NodeId> fill(ClosestIndex index, int n, Random r) {
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NodeId id = NodeId.random(r);
            ids.add(id);
            index.add(id);
        }
        return ids;
    }

    @Test
    void agreesWithBruteForceAsIdsComeAndGo() {
        Random r = new SplitMixRandom(11);
        ClosestIndex index = new ClosestIndex();
        List<NodeId> ids = fill(index, 3_000, r);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1_000; i++) {
                NodeId target = NodeId.random(r);
                assertEquals(bruteForce(ids, target), index.closest(target));
            }
            for (int i = 0; i < 1_000; i++) {
                index.remove(ids.remove(r.nextInt(ids.size())));
            }
        }
    }

    @Test
    void leavesOutTheAskerWithoutChangingTheIndex() {
        Random r = new SplitMixRandom(12);
        ClosestIndex index = new ClosestIndex();
        List<NodeId> ids = fill(index, 2_000, r);
        for (int i = 0; i < 2_000; i++) {
            NodeId asker = ids.get(r.nextInt(ids.size()));
            // Half the time the asker is itself the closest (or the target): the next one must come.
            NodeId target = i % 2 == 0 ? NodeId.random(r) : asker;
            List<NodeId> others = new ArrayList<>(ids);
            others.remove(asker);
            assertEquals(bruteForce(others, target), index.closestExcept(target, asker));
        }
        assertEquals(ids.size(), index.size());
        ClosestIndex alone = new ClosestIndex();
        alone.add(ids.get(0));
        assertNull(alone.closestExcept(ids.get(0), ids.get(0)));
    }

    @Test
    void anOnlineIdIsItsOwnClosestAndAnEmptyIndexHasNone() {
        ClosestIndex index = new ClosestIndex();
        NodeId a = NodeId.random(new SplitMixRandom(1));
        assertNull(index.closest(a));
        index.add(a);
        index.add(NodeId.random(new SplitMixRandom(2)));
        assertEquals(a, index.closest(a));
    }

    @Test
    void findsTheClosestWhenItIsNotASortedNeighbour() {
        ClosestIndex index = new ClosestIndex();
        NodeId zero = id(0x00);
        index.add(zero);
        index.add(id(0x30));
        index.add(id(0x80));
        assertEquals(zero, index.closest(id(0x40)));
    }

    private static NodeId id(int firstByte) {
        byte[] b = new byte[NodeId.BYTES];
        b[0] = (byte) firstByte;
        return NodeId.of(b);
    }
}
