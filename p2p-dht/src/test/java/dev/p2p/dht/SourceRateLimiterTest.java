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
    void idleSourcesAreForgottenSoMemoryFollowsRecentActivity() {
        SourceRateLimiter limiter = new SourceRateLimiter(100);
        for (int i = 0; i < 500; i++) {
            limiter.admit(VirtualNetwork.address(10, 1, i / 250, i % 250 + 1, 4000), i);
        }
        assertEquals(500, limiter.trackedSources());
        limiter.admit(VirtualNetwork.address(10, 2, 0, 1, 4000), 60_000);
        assertEquals(1, limiter.trackedSources(), "idle ones forgotten: only the new source is tracked");
    }
}
