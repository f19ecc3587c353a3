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
        assertEquals(500, limiter.trackedSources());
        limiter.admit(VirtualNetwork.address(10, 2, 0, 1, 4000), 60_000);
        assertEquals(1, limiter.trackedSources(), "idle ones forgotten: only the new source is tracked");
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
        assertTrue(limiter.trackedSources() <= 2 * 2000 + 1, "at most two generations: " + limiter.trackedSources());
    }

    @Test
    void aFloodFromManyAddressesIsCappedAtTwoGenerations() {
        SourceRateLimiter limiter = new SourceRateLimiter(100);
        for (int i = 0; i < 5 * SourceRateLimiter.MAX_SOURCES; i++) {
            limiter.admit(VirtualNetwork.address(10, 4 + (i >> 16), (i >> 8) & 255, i & 255, 4000), 0);
        }
        assertTrue(limiter.trackedSources() <= 2 * SourceRateLimiter.MAX_SOURCES, "tracked " + limiter.trackedSources());
    }
}
