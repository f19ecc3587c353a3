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

    /** 40 peers and one 8 MiB file asked for by 35 of them over two minutes; {@code extra} adds fields. */
    private static Scenario small(String name, String extra) {
        return ScenarioRuns.scenario("""
                name = %s
                peers = 40
                duration = 9m
                warmup = 2m
                joinPeriod = 1m
                workload.lookupsPerPeerPerMinute = 0
                swarm.files = 1
                swarm.fileSize.mib = 8
                swarm.arrivals.kind = flash
                swarm.arrivals.count = 35
                swarm.arrivals.window = 2m
                swarm.attempts = 30
                swarm.bandwidth.0.share = 1
                swarm.bandwidth.0.downMbps = 50
                swarm.bandwidth.0.upMbps = 10
                """.formatted(name) + extra);
    }

    @Test
    void whenTheFirstSeederLeavesOnceACopyIsOutTheFileStaysAvailableAndLaterFetchesComplete() {
        Scenario s = small("first-seeder-leaves", "swarm.firstSeederLeaves = true\n");
        RunResult run = ScenarioRuns.run(s);
        SwarmReport r = run.swarm();
        assertEquals(1, r.firstSeedersLeft(), "the first seeder left" + ScenarioRuns.replay(s));
        assertEquals(r.total().startedHonest(), r.total().completedHonest(), "every fetch completed, "
                + "those after the seeder left too: " + r.total().failedTries() + ScenarioRuns.replay(s));
        long afterStart = run.downloadRows().stream().filter(d -> Double.isFinite(d.availableShare())).count();
        assertTrue(afterStart >= 6, "availability sampled every minute after the start");
        assertTrue(run.downloadRows().stream().filter(d -> Double.isFinite(d.availableShare()))
                .allMatch(d -> d.availableShare() == 1.0), "a complete copy was online in every interval");
    }

    @Test
    void withAFifthOfPeersCorruptingNoWrongChunkIsKeptHonestDownloadsCompleteAndLiarsAreBanned() {
        Scenario s = small("liars", "swarm.corruptShare = 0.2\n");
        SwarmReport r = ScenarioRuns.run(s).swarm();
        String replay = ScenarioRuns.replay(s);
        assertTrue(r.liars() >= 4, "about a fifth of 40 peers lie: " + r.liars());
        assertTrue(r.total().rejectedChunks() > 0, "liars served chunks, and they were rejected" + replay);
        assertEquals(0, r.wrongWrites(), "no corrupt chunk was ever written" + replay);
        assertEquals(r.total().startedHonest(), r.total().completedHonest(), "every honest download completed: "
                + r.total().failedTries() + replay);
        assertTrue(r.liarsBanned() >= 1, "liars that served were banned" + replay);
    }

    @Test
    void withRealBytesThroughTheRealCodecLiarsAreCaughtByHashingAndEveryHonestDownloadCompletes() {
        Scenario s = small("real-bytes", "swarm.realBytes = true\nswarm.corruptShare = 0.2\n");
        SwarmReport r = ScenarioRuns.run(s).swarm();
        String replay = ScenarioRuns.replay(s);
        assertTrue(r.total().rejectedChunks() > 0, "corrupt bytes were served and failed their hash" + replay);
        assertEquals(0, r.wrongWrites(), "every chunk written hashes to the content's leaf" + replay);
        assertEquals(r.total().startedHonest(), r.total().completedHonest(), "every honest download completed: "
                + r.total().failedTries() + replay);
        assertTrue(r.liarsBanned() >= 1, "liars that served were banned" + replay);
        assertEquals(r.chunkBytesSent(), r.chunkBytesDelivered() + r.chunkBytesLost(), "sent = received + lost");
    }

    @Test
    void withHalfThePeersBehindPortKeepingNatsDownloadsFromANattedSharerCompleteThroughHolePunching() {
        Scenario s = small("nat", "swarm.nat.portKeepingShare = 0.5\nswarm.nat.publisher = port-keeping\n");
        SwarmReport r = ScenarioRuns.run(s).swarm();
        String replay = ScenarioRuns.replay(s);
        assertTrue(r.punchesOpened() > 0, "holes were punched to the sharer: " + r.punchesAsked() + " asked" + replay);
        assertEquals(r.total().startedHonest(), r.total().completedHonest(), "every download completed: "
                + r.total().failedTries() + replay);
    }

    @Test
    void aSharerBehindASymmetricNatCanBeReachedByNobodyAndTheFailureSaysWhy() {
        Scenario s = small("symmetric", "swarm.nat.symmetricShare = 0.5\nswarm.nat.publisher = symmetric\n");
        SwarmReport r = ScenarioRuns.run(s).swarm();
        String replay = ScenarioRuns.replay(s);
        assertEquals(0, r.total().completed(), "nobody can dial the only sharer" + replay);
        assertEquals(0, r.punchesAsked(), "no punch is even tried with a symmetric NAT on either side");
        assertTrue(r.total().failedTries().keySet().stream().anyMatch(k -> k.contains("this node's NAT changes ports")),
                "a peer behind a symmetric NAT is told its own NAT is why: " + r.total().failedTries());
        assertTrue(r.total().failedTries().keySet().stream().anyMatch(k -> k.contains("the sharer's NAT changes ports")),
                "a public peer is told the sharer's NAT is why: " + r.total().failedTries());
    }
}
