package dev.p2p.sim.metrics;

/** Lookups finished in some period: how many, how many succeeded, their hops and latencies. */
public final class LookupTally {
    static final int MAX_LATENCY_MILLIS = 120_000;
    static final int MAX_HOPS = 64;

    final CountHistogram latencyMillis = new CountHistogram(MAX_LATENCY_MILLIS);
    final CountHistogram hops = new CountHistogram(MAX_HOPS);
    /** Content probes' time from the ask to the first provider handed out, for those that found one. */
    final CountHistogram firstProviderMillis = new CountHistogram(MAX_LATENCY_MILLIS);
    long succeeded;
    long crossCut;
    long crossCutSucceeded;
    long findProbes;
    long findSucceeded;

    void addLookup(long latency, int hopCount, boolean success, boolean acrossCut) {
        latencyMillis.add((int) Math.min(latency, MAX_LATENCY_MILLIS));
        hops.add(hopCount);
        if (success) {
            succeeded++;
        }
        if (acrossCut) {
            crossCut++;
            if (success) {
                crossCutSucceeded++;
            }
        }
    }

    void addFind(boolean success, long firstProvider) {
        if (firstProvider >= 0) {
            firstProviderMillis.add((int) Math.min(firstProvider, MAX_LATENCY_MILLIS));
        }
        findProbes++;
        if (success) {
            findSucceeded++;
        }
    }

    void addAll(LookupTally other) {
        latencyMillis.addAll(other.latencyMillis);
        hops.addAll(other.hops);
        firstProviderMillis.addAll(other.firstProviderMillis);
        succeeded += other.succeeded;
        crossCut += other.crossCut;
        crossCutSucceeded += other.crossCutSucceeded;
        findProbes += other.findProbes;
        findSucceeded += other.findSucceeded;
    }

    void clear() {
        latencyMillis.clear();
        hops.clear();
        firstProviderMillis.clear();
        succeeded = crossCut = crossCutSucceeded = findProbes = findSucceeded = 0;
    }

    public long lookups() {
        return hops.total();
    }

    public double successRate() {
        return share(succeeded, lookups());
    }

    public double crossCutSuccessRate() {
        return share(crossCutSucceeded, crossCut);
    }

    public double findableShare() {
        return share(findSucceeded, findProbes);
    }

    public long crossCut() {
        return crossCut;
    }

    public long findProbes() {
        return findProbes;
    }

    public CountHistogram latencyMillis() {
        return latencyMillis;
    }

    public CountHistogram firstProviderMillis() {
        return firstProviderMillis;
    }

    public CountHistogram hops() {
        return hops;
    }

    static double share(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }
}
