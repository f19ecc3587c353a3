package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The size estimate from lookups' closest distances, and which ids it makes suspicious. */
class NetworkSizeEstimateTest {
    private final Random random = new Random(5);
    private final InetSocketAddress at = new InetSocketAddress("127.0.0.1", 4000);

    private List<Contact> network(int n) {
        List<Contact> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(new Contact(NodeId.random(random), at));
        }
        return all;
    }

    private static List<Contact> closest(List<Contact> all, NodeId target, int k) {
        List<Contact> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        return sorted.subList(0, k);
    }

    @Test
    void estimatesTheSizeFromLookupsAndSuspectsOnlyGroundIds() {
        List<Contact> all = network(1000);
        NetworkSizeEstimate estimate = new NetworkSizeEstimate();
        assertEquals(0, estimate.suspicionFloor(), "no floor before lookups");
        for (int i = 0; i < 40; i++) {
            NodeId target = NodeId.random(random);
            estimate.add(target, closest(all, target, 20));
        }
        assertTrue(estimate.nodes() > 700 && estimate.nodes() < 1400, "estimate " + estimate.nodes());

        NodeId key = NodeId.random(random);
        byte[] ground = key.toBytes();
        ground[5] ^= 1; // shares 47 leading bits
        List<Contact> answer = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] b = ground.clone();
            b[31] = (byte) i;
            answer.add(new Contact(NodeId.of(b), at));
        }
        answer.addAll(closest(all, key, 14));
        long floor = estimate.suspicionFloor();
        assertTrue(NetworkSizeEstimate.crowded(key, answer, floor), "six ground ids crowd an answer");
        List<Contact> spread = NetworkSizeEstimate.spreadOut(key, answer, 20, floor);
        assertEquals(18, spread.size(), "4 ground ids and the 14 honest ones");
        assertEquals(answer.subList(6, 20), spread.subList(4, 18));
        assertTrue(!NetworkSizeEstimate.crowded(key, closest(all, key, 20), floor), "honest ids are not suspicious");
    }
}
