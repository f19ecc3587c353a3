package dev.p2p.sim.metrics;

/**
 * Exact counts of non-negative integer values up to a maximum (larger values count as the
 * maximum): latencies in milliseconds, hop counts. Percentiles are nearest-rank, so they are
 * values that occurred and the same inputs always give the same answer.
 */
public final class CountHistogram {
    private final long[] counts;
    private long total;
    private long sum;
    private int max = -1;

    public CountHistogram(int maxValue) {
        counts = new long[maxValue + 1];
    }

    public void add(int value) {
        int v = Math.max(0, Math.min(value, counts.length - 1));
        counts[v]++;
        total++;
        sum += v;
        max = Math.max(max, v);
    }

    public void addAll(CountHistogram other) {
        for (int v = 0; v <= other.max; v++) {
            counts[Math.min(v, counts.length - 1)] += other.counts[v];
        }
        total += other.total;
        sum += other.sum;
        max = Math.max(max, Math.min(other.max, counts.length - 1));
    }

    public void clear() {
        java.util.Arrays.fill(counts, 0, max + 1, 0);
        total = 0;
        sum = 0;
        max = -1;
    }

    public long total() {
        return total;
    }

    /** The mean, or NaN when empty. */
    public double mean() {
        return total == 0 ? Double.NaN : (double) sum / total;
    }

    /** The largest value seen, or -1 when empty. */
    public int max() {
        return max;
    }

    public long count(int value) {
        return value < counts.length ? counts[value] : 0;
    }

    /** The smallest value with at least {@code quantile} of all values at or below it; -1 when empty. */
    public int percentile(double quantile) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int v = 0; v <= max; v++) {
            seen += counts[v];
            if (seen >= rank) {
                return v;
            }
        }
        return max;
    }
}
