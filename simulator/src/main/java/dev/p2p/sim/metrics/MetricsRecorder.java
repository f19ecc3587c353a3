package dev.p2p.sim.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects lookups and content probes as they finish, and closes one {@link WindowRow} per
 * interval. Everything after the warm-up also adds up into the run's totals.
 */
public final class MetricsRecorder {
    private final long warmupMillis;
    private final LookupTally window = new LookupTally();
    private final LookupTally afterWarmup = new LookupTally();
    private final List<WindowRow> rows = new ArrayList<>();
    private WorldSample previous;
    private WorldSample firstAfterWarmup;
    private WorldSample last;

    public MetricsRecorder(long warmupMillis, WorldSample start) {
        this.warmupMillis = warmupMillis;
        this.previous = start;
        this.last = start;
    }

    public void lookupFinished(long latencyMillis, int hops, boolean success, boolean acrossCut) {
        window.addLookup(latencyMillis, hops, success, acrossCut);
    }

    /** @param firstProviderMillis from the ask to the first provider handed out, or -1 when none came */
    public void contentProbed(boolean found, long firstProviderMillis) {
        window.addFind(found, firstProviderMillis);
    }

    /** Ends the interval that ends at {@code now.nowMillis()}. */
    public void closeWindow(WorldSample now) {
        boolean warmup = now.nowMillis() <= warmupMillis;
        double peerSeconds = (now.onlinePeerMillis() - previous.onlinePeerMillis()) / 1000.0;
        CountHistogram latency = window.latencyMillis();
        rows.add(new WindowRow(
                now.nowMillis() / 1000,
                warmup,
                now.partitioned(),
                now.onlinePeers(),
                now.joins() - previous.joins(),
                now.departures() - previous.departures(),
                window.lookups(),
                window.successRate(),
                window.hops().mean(),
                latency.percentile(0.50),
                latency.percentile(0.95),
                latency.percentile(0.99),
                window.crossCut(),
                window.crossCutSuccessRate(),
                perPeerSecond(now.datagramsSent() - previous.datagramsSent(), peerSeconds),
                perPeerSecond(now.bytesSent() - previous.bytesSent(), peerSeconds),
                LookupTally.share(now.staleEntries(), now.sampledEntries()),
                window.findProbes(),
                window.findableShare()));
        if (!warmup) {
            afterWarmup.addAll(window);
            if (firstAfterWarmup == null) {
                firstAfterWarmup = previous;
            }
        }
        window.clear();
        previous = now;
        last = now;
    }

    private static double perPeerSecond(long count, double peerSeconds) {
        return peerSeconds <= 0 ? Double.NaN : count / peerSeconds;
    }

    public List<WindowRow> rows() {
        return List.copyOf(rows);
    }

    /** Lookups and probes finished after the warm-up. */
    public LookupTally totals() {
        return afterWarmup;
    }

    /** Counters at the start of the measured period (after warm-up), or null if it never began. */
    public WorldSample measuredStart() {
        return firstAfterWarmup;
    }

    public WorldSample lastSample() {
        return last;
    }
}
