package dev.p2p.sim.metrics;

/**
 * One interval of the time series. Shares and means are NaN when the interval had nothing to
 * measure (no lookups, no probes); percentiles are -1 then.
 *
 * @param endSeconds virtual time at the end of the interval
 * @param warmup true while the network is still forming; such rows stay out of the summary
 * @param partitioned true when a partition was open at some point in the interval
 */
public record WindowRow(
        long endSeconds,
        boolean warmup,
        boolean partitioned,
        int onlinePeers,
        long joins,
        long departures,
        long lookups,
        double lookupSuccessRate,
        double hopsMean,
        int latencyP50Millis,
        int latencyP95Millis,
        int latencyP99Millis,
        long crossCutLookups,
        double crossCutSuccessRate,
        double messagesPerPeerSecond,
        double bytesPerPeerSecond,
        double staleEntryShare,
        long contentProbes,
        double contentFindableShare) {}
