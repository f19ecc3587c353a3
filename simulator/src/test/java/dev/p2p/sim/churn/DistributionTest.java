package dev.p2p.sim.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.sim.engine.SplitMixRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sample statistics against theory; 200,000 draws put the sampling error well under the tolerances. */
class DistributionTest {
    private static final int N = 200_000;
    private static final double THIRTY_MINUTES = 30 * 60_000;

    private static long[] draws(Distribution d) {
        Random r = new SplitMixRandom(7);
        long[] x = new long[N];
        for (int i = 0; i < N; i++) {
            x[i] = d.sampleMillis(r);
        }
        Arrays.sort(x);
        return x;
    }

    private static void assertClose(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, Math.abs(expected) * relative, what);
    }

    private static double median(long[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static double mean(long[] x) {
        return Arrays.stream(x).average().orElseThrow();
    }

    /** Share of draws at or below {@code t}. */
    private static double cdf(long[] sorted, double t) {
        int i = Arrays.binarySearch(sorted, (long) t);
        return (i < 0 ? -i - 1 : i) / (double) sorted.length;
    }

    @Test
    void exponentialFromMedianHasThatMedianTheRightMeanAndShape() {
        Distribution d = Distribution.Exponential.withMedian(THIRTY_MINUTES);
        long[] x = draws(d);
        assertClose(THIRTY_MINUTES, median(x), 0.02, "median");
        assertClose(THIRTY_MINUTES / Math.log(2), mean(x), 0.02, "mean");
        for (double t : new double[] {0.25, 1, 2, 4}) {
            double expected = 1 - Math.exp(-t * Math.log(2));
            assertEquals(expected, cdf(x, t * THIRTY_MINUTES), 0.005, "CDF at " + t + " medians");
        }
    }

    @Test
    void weibullMatchesMedianMeanAndTail() {
        Distribution.Weibull d = Distribution.Weibull.withMedian(0.6, THIRTY_MINUTES);
        long[] x = draws(d);
        assertClose(THIRTY_MINUTES, median(x), 0.02, "median");
        assertClose(d.meanMillis(), mean(x), 0.04, "mean");
        double t = 3 * d.scaleMillis();
        assertEquals(Math.exp(-Math.pow(3, 0.6)), 1 - cdf(x, t), 0.005, "tail at 3 scales");
    }

    @Test
    void paretoMatchesMedianMeanAndMinimum() {
        Distribution.Pareto d = Distribution.Pareto.withMedian(3, THIRTY_MINUTES);
        long[] x = draws(d);
        assertClose(THIRTY_MINUTES, median(x), 0.02, "median");
        assertClose(d.meanMillis(), mean(x), 0.03, "mean");
        assertTrue(x[0] >= Math.floor(d.scaleMillis()), "no draw below the scale");
        assertEquals(Math.pow(0.5, 3), 1 - cdf(x, 2 * d.scaleMillis()), 0.005, "tail at twice the scale");
    }

    @Test
    void gammaFunctionIsRightAtKnownPoints() {
        assertEquals(0, Gamma.logGamma(1), 1e-12);
        assertEquals(Math.log(24), Gamma.logGamma(5), 1e-10);
        assertEquals(Math.log(Math.sqrt(Math.PI)), Gamma.logGamma(0.5), 1e-10);
    }

    @Test
    void drawsAreAtLeastOneMillisecondAndDescriptionsNameTheMedian() {
        assertEquals(1, new Distribution.Constant(0.2).sampleMillis(new SplitMixRandom(1)));
        assertEquals("exponential(median=30m)", Distribution.Exponential.withMedian(THIRTY_MINUTES).describe());
    }
}
