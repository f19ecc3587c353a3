package dev.p2p.sim.swarm;

import java.util.List;

/**
 * What the swarm's downloads did over the run (summary.json's {@code downloads}).
 *
 * @param ratios upload/download byte ratio of every peer that downloaded anything
 * @param liarsBanned corrupting peers banned by at least one download
 * @param liars corrupting peers the run made
 * @param wrongWrites chunks written to a store that were not the content's (the verification must keep this 0)
 * @param noPeerFree arrivals that found no online peer free to ask
 * @param chunkBytesSent chunk payload bytes handed to connections
 * @param chunkBytesDelivered of those, delivered to a live receiver
 * @param chunkBytesLost of those, dropped with their connection
 * @param reallocations times the flow model computed its allocation
 * @param punchesAsked hole punches asked for (PUNCH_REQUEST sent), per provider
 * @param punchesOpened of those, the ones whose notice reached the sharer in time
 * @param punchesImpossible providers not tried because one side's NAT is symmetric
 * @param firstSeedersLeft first seeders that stopped seeding once a copy was out ({@code swarm.firstSeederLeaves})
 */
public record SwarmReport(SwarmConfig config, DownloadTally total, List<Double> ratios, int liarsBanned, int liars,
        int wrongWrites, long noPeerFree, long chunkBytesSent, long chunkBytesDelivered, long chunkBytesLost,
        long connections, long failedDials, long reallocations, int firstSeedersLeft, long punchesAsked,
        long punchesOpened, long punchesImpossible) {

    /** Chunk bytes still on the way when the run ended: sent - delivered - lost. */
    public long chunkBytesInFlight() {
        return chunkBytesSent - chunkBytesDelivered - chunkBytesLost;
    }
}
