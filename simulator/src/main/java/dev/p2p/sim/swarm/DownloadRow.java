package dev.p2p.sim.swarm;

/**
 * The swarm in one metrics interval. Figures with nothing to measure are NaN.
 *
 * @param completionP50Millis median time from asking to complete, of downloads that completed in the interval
 * @param firstByteP50Millis median time from asking to the first verified chunk, of those that got it in the interval
 * @param availableShare share of the published files with a complete copy served by an online honest peer, at the end
 * @param fetchableShare share of the published files a fresh peer could fetch at the end: the chunks served by online
 *     honest peers it can find (announced, or the publisher its link names) and reach make up the whole file
 * @param chunkBytesDelivered chunk bytes delivered so far in the run (the time series differences it)
 */
public record DownloadRow(long started, long completed, long abandoned, double completionP50Millis,
        double firstByteP50Millis, double availableShare, double fetchableShare,
        long chunkBytesDelivered) {}
