package dev.p2p.transfer.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The download budget in virtual time: requests granted at the rate, changed while running. */
class RateBudgetTest {
    static final int CHUNK = 256 * 1024;
    static final long MS = 1_000_000L;

    /** Chunks granted by asking every 100 ms (the download's tick) from {@code from} to {@code to}. */
    static long granted(TransferLimits limits, long from, long to) {
        long chunks = 0;
        for (long now = from; now < to; now += 100 * MS) {
            int n = limits.requestsAffordable(CHUNK, 32, now);
            limits.requested(n, CHUNK, now);
            chunks += n;
        }
        return chunks;
    }

    @Test
    void requestsFollowTheRateAndAChangeTakesEffectAtOnce() {
        TransferLimits limits = new TransferLimits(8, 0, 1L << 20);
        long first = granted(limits, 0, 30_000 * MS);
        assertTrue(Math.abs(first - 120) <= 1, "1 MiB/s for 30 s is 120 chunks of 256 KiB, got " + first);
        limits.apply(new TransferLimits.Settings(8, 0, 4L << 20));
        long faster = granted(limits, 30_000 * MS, 40_000 * MS);
        assertTrue(Math.abs(faster - 160) <= 1, "4 MiB/s for 10 s, got " + faster);
        limits.apply(new TransferLimits.Settings(8, 0, 0));
        assertEquals(32, limits.requestsAffordable(CHUNK, 32, 40_000 * MS), "unlimited: whatever is asked");
    }

    @Test
    void anIdleBudgetSavesAtMostItsBurst() {
        RateBudget b = new RateBudget(1L << 20);
        assertEquals(1, b.affordable(CHUNK, 32, 0));
        b.reserve(CHUNK, 0);
        assertEquals(0, b.affordable(CHUNK, 32, 100 * MS), "the next chunk is due at 250 ms");
        assertEquals(1, b.affordable(CHUNK, 32, 250 * MS));
        assertEquals(1, b.affordable(CHUNK, 32, 60_000 * MS), "a minute idle saves 100 ms, not a minute");
    }
}
