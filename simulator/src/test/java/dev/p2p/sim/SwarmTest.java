package dev.p2p.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.sim.scenario.Scenario;
import dev.p2p.sim.swarm.SwarmReport;
import org.junit.jupiter.api.Test;

/** Whole peers sharing files: what a user of the network would check. */
class SwarmTest {
    private static final long MIB = 1L << 20;

    private static final String FLASH_CROWD = """
            name = flash-crowd-100
            peers = 101
            duration = 10m
            warmup = 2m
            joinPeriod = 1m
            workload.lookupsPerPeerPerMinute = 0
            swarm.files = 1
            swarm.fileSize.mib = 16
            swarm.arrivals.kind = flash
            swarm.arrivals.count = 100
            swarm.arrivals.window = 1m
            swarm.attempts = 30
            swarm.seedTime.distribution = constant
            swarm.seedTime.value = 1h
            swarm.bandwidth.0.share = 0.5
            swarm.bandwidth.0.downMbps = 100
            swarm.bandwidth.0.upMbps = 20
            swarm.bandwidth.1.share = 0.5
            swarm.bandwidth.1.downMbps = 10
            swarm.bandwidth.1.upMbps = 1
            """;

    @Test
    void aHundredPeerFlashCrowdAllCompleteAndEveryChunkByteIsAccountedFor() {
        Scenario s = ScenarioRuns.scenario(FLASH_CROWD);
        SwarmReport r = ScenarioRuns.run(s).swarm();
        String replay = ScenarioRuns.replay(s);
        assertEquals(100, r.total().startedHonest(), "every peer but the seeder asked" + replay);
        assertEquals(100, r.total().completedHonest(), "every download completed: " + r.total().failedTries()
                + " failed tries, " + r.total().abandoned() + " abandoned, p99 " + dev.p2p.sim.swarm.DownloadTally.percentile(r.total().completionMillis(), 0.99) + " ms, connections " + r.connections() + ", failed dials " + r.failedDials() + ", sent " + r.chunkBytesSent() + replay);
        assertEquals(0, r.wrongWrites(), "no chunk that is not the content's was written");
        assertEquals(0, r.chunkBytesInFlight(), "nothing is still on the way when all is done");
        assertEquals(r.chunkBytesSent(), r.chunkBytesDelivered() + r.chunkBytesLost(), "sent = received + lost");
        assertTrue(r.total().receivedBytes() >= 100 * 16 * MIB && r.total().receivedBytes() <= r.chunkBytesDelivered(),
                "the downloads received at least the file each, and no more than the network delivered: "
                        + r.total().receivedBytes() + " of " + r.chunkBytesDelivered());
    }
}
