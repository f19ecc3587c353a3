package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefixCountsTest {
    @Test
    void agreesWithAMapThroughRandomAddsAndRemovals() {
        Random random = new Random(7);
        PrefixCounts counts = new PrefixCounts();
        Map<Long, Integer> expected = new HashMap<>();
        // Few distinct prefixes, so runs of colliding slots form and removals must repair them.
        long[] prefixes = new long[300];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = (4L << 56) | (0x0A0000L + i * 256L);
        }
        for (int step = 0; step < 200_000; step++) {
            long p = prefixes[random.nextInt(prefixes.length)];
            int have = expected.getOrDefault(p, 0);
            int delta = have > 0 && random.nextBoolean() ? -1 : 1;
            counts.add(p, delta);
            if (have + delta == 0) {
                expected.remove(p);
            } else {
                expected.put(p, have + delta);
            }
            if (step % 997 == 0) {
                for (long q : prefixes) {
                    assertEquals(expected.getOrDefault(q, 0), counts.get(q), "step " + step);
                }
                assertEquals(expected.size(), counts.size());
            }
        }
    }

    @Test
    void countsAddressesByTheirPrefix() throws Exception {
        PrefixCounts counts = new PrefixCounts();
        counts.add(IpPrefix.packedOf(InetAddress.getByName("203.0.113.7")), 1);
        counts.add(IpPrefix.packedOf(InetAddress.getByName("203.0.113.99")), 1);
        assertEquals(2, counts.get(IpPrefix.packedOf(InetAddress.getByName("203.0.113.1"))));
        assertEquals(0, counts.get(IpPrefix.packedOf(InetAddress.getByName("203.0.114.1"))));
    }

    @Test
    void refusesToCountBelowZero() {
        PrefixCounts counts = new PrefixCounts();
        assertThrows(IllegalStateException.class, () -> counts.add(4L << 56, -1));
    }
}
