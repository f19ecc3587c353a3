package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {
    @Test
    void aSourceGetsItsBurstThenItsRateAndOthersAreUnaffected() {
        SourceRateLimiter limiter = new SourceRateLimiter(100);
        var flooder = VirtualNetwork.address(10, 0, 0, 1, 4000);
        var sameHostOtherPort = VirtualNetwork.address(10, 0, 0, 1, 4001);
        var honest = VirtualNetwork.address(10, 0, 0, 2, 4000);
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            admitted += limiter.admit(flooder, 0) ? 1 : 0;
        }
        assertEquals(200, admitted, "a burst of twice the rate");
        assertFalse(limiter.admit(sameHostOtherPort, 0), "one host, whatever its ports");
        assertTrue(limiter.admit(honest, 0));
        assertTrue(limiter.admit(flooder, 10), "one token back after 10 ms at 100/s");
        assertFalse(limiter.admit(flooder, 10));
    }

    @Test
    void loopbackSourcesAreKeyedByPortSoNodesOnOneMachineStaySeparate() {
        SourceRateLimiter limiter = new SourceRateLimiter(100);
        var first = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 4000);
        var second = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 4001);
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            admitted += limiter.admit(first, 0) ? 1 : 0;
        }
        assertEquals(200, admitted);
        assertFalse(limiter.admit(first, 0));
        assertTrue(limiter.admit(second, 0), "another port on loopback is another node");
    }

    @Test
    void idleSourcesAreForgottenSoMemoryFollowsRecentActivity() {
        SourceRateLimiter limiter = new SourceRateLimiter(100);
        for (int i = 0; i < 500; i++) {
            limiter.admit(VirtualNetwork.address(10, 1, i / 250, i % 250 + 1, 4000), i);
        }
        assertTrue(limiter.countsSources(), "500 datagrams in half a second at 100 a second");
        assertTrue(limiter.remembered() > 0 && limiter.remembered() <= 500, "remembered " + limiter.remembered());
        assertTrue(limiter.admit(VirtualNetwork.address(10, 2, 0, 1, 4000), 60_000));
        assertEquals(0, limiter.remembered(), "idle ones forgotten: a quiet node remembers no source");
    }

    @Test
    void aSourceKeepsItsBucketAcrossGenerationsAndSourcesAreNeverConfused() {
        SourceRateLimiter limiter = new SourceRateLimiter(100); // a generation lasts 2 s
        var flooder = VirtualNetwork.address(10, 0, 0, 1, 4000);
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            admitted += limiter.admit(flooder, 0) ? 1 : 0;
        }
        assertEquals(200, admitted);
        // Many other sources come and go over the next 3 s, across a generation's end; the
        // flooder's empty bucket moves with it and refills at 100/s only.
        for (int t = 0; t < 3000; t++) {
            assertTrue(limiter.admit(VirtualNetwork.address(10, 3, t / 250, t % 250 + 1, 4000), t), "a newcomer at " + t);
            if (t > 0 && t % 1000 == 0) {
                int got = 0;
                for (int i = 0; i < 1000; i++) {
                    got += limiter.admit(flooder, t) ? 1 : 0;
                }
                assertEquals(100, got, "one second's refill at " + t);
            }
        }
        assertTrue(limiter.remembered() <= 2 * 2000 + 1, "at most two generations: " + limiter.remembered());
    }

    @Test
    void aFloodFromManyAddressesIsCappedAtTwoGenerations() {
        SourceRateLimiter limiter = new SourceRateLimiter(100);
        for (int i = 0; i < 5 * SourceBuckets.MAX_SOURCES; i++) {
            limiter.admit(VirtualNetwork.address(10, 4 + (i >> 16), (i >> 8) & 255, i & 255, 4000), 0);
        }
        assertTrue(limiter.remembered() <= 2 * SourceBuckets.MAX_SOURCES, "remembered " + limiter.remembered());
    }

    @Test
    void aQuietNodeRemembersNoSource() {
        SourceRateLimiter limiter = new SourceRateLimiter(100); // 200 a refill period of 2 s
        for (int t = 0; t < 60_000; t += 20) { // 50 sources, each once a second: 50 a second in all
            var source = VirtualNetwork.address(10, 5, 0, 1 + t / 20 % 50, 4000);
            assertTrue(limiter.admit(source, t), "at " + t);
            assertFalse(limiter.countsSources(), "at " + t);
            assertEquals(0, limiter.remembered(), "at " + t);
        }
    }

    @Test
    void whenTheNodeRunsDryARecentFlooderGetsOnlyWhatItHasLeft() {
        SourceRateLimiter limiter = new SourceRateLimiter(100);
        var flooder = VirtualNetwork.address(10, 0, 0, 1, 4000);
        for (int i = 0; i < 150; i++) {
            assertTrue(limiter.admit(flooder, 0));
        }
        assertFalse(limiter.countsSources(), "150 datagrams are within the node's own burst of 200");
        for (int i = 0; i < 50; i++) {
            assertTrue(limiter.admit(VirtualNetwork.address(10, 6, 0, 1 + i, 4000), 0));
        }
        assertTrue(limiter.admit(VirtualNetwork.address(10, 6, 1, 1, 4000), 0), "a newcomer is admitted");
        assertTrue(limiter.countsSources(), "the node ran dry");
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            admitted += limiter.admit(flooder, 0) ? 1 : 0;
        }
        assertTrue(admitted >= 45 && admitted <= 50, "at most the flooder's burst of 200 less the 150 it sent: " + admitted);
        for (int i = 0; i < 50; i++) {
            assertTrue(limiter.admit(VirtualNetwork.address(10, 6, 0, 1 + i, 4000), 0), "a light source keeps its allowance");
        }
    }

    /**
     * Random traffic, from a few flooders and many light sources, against per-source token buckets
     * kept for every source all along: the limiter never admits what those refuse, and never refuses
     * a light source, while flooders get most of what those admit. (1,000 a second: a token a
     * millisecond, so the arithmetic is exact.)
     */
    @Test
    void neverAdmitsWhatBucketsKeptAllAlongRefuseAndNeverRefusesALightSource() {
        for (long seed = 1; seed <= 20; seed++) {
            java.util.Random random = new java.util.Random(seed);
            SourceRateLimiter limiter = new SourceRateLimiter(1000);
            java.util.Map<java.net.InetSocketAddress, double[]> reference = new java.util.HashMap<>();
            int flooders = 1 + random.nextInt(3);
            long t = 0;
            int flooderAdmitted = 0;
            int flooderReferenceAdmitted = 0;
            boolean wasBusy = false;
            for (int n = 0; n < 200_000; n++) {
                boolean flooding = t / 5_000 % 2 == 0; // floods of 5 s come and go
                t += flooding ? (random.nextInt(4) == 0 ? 1 : 0) : random.nextInt(10);
                boolean flood = flooding && random.nextInt(10) < 9;
                var source = flood ? VirtualNetwork.address(10, 7, 0, 1 + random.nextInt(flooders), 4000)
                        : VirtualNetwork.address(10, 8, random.nextInt(200), 1 + random.nextInt(250), 4000);
                double[] bucket = reference.computeIfAbsent(source, s -> new double[] {2000, 0});
                bucket[0] = Math.min(2000, bucket[0] + (t - bucket[1]));
                bucket[1] = t;
                boolean referenceAdmits = bucket[0] >= 1;
                bucket[0] -= referenceAdmits ? 1 : 0;
                boolean admitted = limiter.admit(source, t);
                wasBusy |= limiter.countsSources();
                assertTrue(referenceAdmits || !admitted, "admitted what a bucket kept all along refuses, seed " + seed + " at " + t);
                if (!flood) {
                    assertTrue(admitted, "refused a light source, seed " + seed + " at " + t);
                } else {
                    flooderAdmitted += admitted ? 1 : 0;
                    flooderReferenceAdmitted += referenceAdmits ? 1 : 0;
                }
            }
            assertTrue(wasBusy, "the floods made the node count sources, seed " + seed);
            // A node that runs dry restarts a recent flooder's bucket without the refill it earned
            // before the last refill period (unknown then): 90 to 100% of the exact allowance here.
            assertTrue(flooderAdmitted >= flooderReferenceAdmitted * 0.85,
                    "flooders got " + flooderAdmitted + " against " + flooderReferenceAdmitted + ", seed " + seed);
        }
    }
}
