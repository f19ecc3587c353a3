package dev.p2p.sim.metrics;

/**
 * Cumulative counters of the world read at the end of an interval; the recorder turns them into
 * per-interval figures.
 *
 * @param partitioned true when a partition was open at some time in the interval
 * @param staleEntries routing-table entries pointing at peers that are not up, in the sampled tables
 * @param sampledEntries all entries in the sampled tables
 */
public record WorldSample(
        long nowMillis,
        int onlinePeers,
        long onlinePeerMillis,
        long datagramsSent,
        long bytesSent,
        long joins,
        long departures,
        boolean partitioned,
        long staleEntries,
        long sampledEntries) {}
