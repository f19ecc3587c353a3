package dev.p2p.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CountHistogramTest {
    @Test
    void nearestRankPercentilesMeanAndMax() {
        CountHistogram h = new CountHistogram(1_000);
        for (int v = 1; v <= 100; v++) {
            h.add(v);
        }
        assertEquals(50, h.percentile(0.50));
        assertEquals(95, h.percentile(0.95));
        assertEquals(99, h.percentile(0.99));
        assertEquals(100, h.percentile(1.0));
        assertEquals(50.5, h.mean(), 1e-9);
        assertEquals(100, h.max());
    }

    @Test
    void clampsOutOfRangeValuesAndMerges() {
        CountHistogram a = new CountHistogram(10);
        a.add(50);
        a.add(-3);
        CountHistogram b = new CountHistogram(10);
        b.addAll(a);
        b.add(4);
        assertEquals(3, b.total());
        assertEquals(10, b.max());
        assertEquals(1, b.count(0));
        assertEquals(4, b.percentile(0.5));
        b.clear();
        assertEquals(-1, b.percentile(0.5));
        assertEquals(Double.NaN, b.mean());
    }
}
