package dev.p2p.node.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.node.virtual.MemoryStore;
import dev.p2p.transfer.session.TransferCore;
import dev.p2p.node.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole transfer nodes ({@link TransferCore}s) in virtual time, with no socket, thread or clock:
 * several seeders (one corrupting every chunk, one vanishing mid-way), a downloader that crashes
 * and resumes from its journal, a downloader that serves what it has to another while it
 * downloads, and the same seed replaying the same run.
 */
class VirtualTransferTest {
    private static final long MS = VirtualSwarm.MS;
    private static final long SECOND = 1_000 * MS;
    private static final long MB_PER_S = 1_000_000;
    @TempDir static Path tmp;
    static SharedContent content; // 8 MiB in 128 chunks of 64 KiB

    @BeforeAll
    static void content() throws Exception {
        Path file = TestFiles.random(tmp.resolve("movie.bin"), 8L << 20, 5);
        content = new Indexer(64 * 1024).index(file, (done, total) -> {});
    }

    /** Four seeders at 5 MB/s each; the third corrupts every chunk, the second vanishes after 300 ms; one downloader. */
    private static VirtualSwarm swarm(long seed) {
        VirtualSwarm w = new VirtualSwarm(content, seed, DownloadConfig.DEFAULTS);
        w.addPeer("s1", 5 * MB_PER_S, true, false);
        VirtualSwarm.Peer vanishing = w.addPeer("s2", 5 * MB_PER_S, true, false);
        w.addPeer("s3", 5 * MB_PER_S, true, true);
        w.addPeer("s4", 5 * MB_PER_S, true, false);
        VirtualSwarm.Peer d = w.addPeer("d", 5 * MB_PER_S, false, false);
        w.at(300 * MS, vanishing::vanish);
        d.download(List.copyOf(w.peers.values()).subList(0, 4));
        return w;
    }

    private static VirtualSwarm.Peer peer(VirtualSwarm w, String name) {
        return w.peers.values().stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyChunkArrivesVerifiedDespiteACorruptingPeerAndOneThatVanishes() {
        int liveBefore = VirtualSwarm.LIVE_TOKENS.get();
        VirtualSwarm w = swarm(7);
        VirtualSwarm.Peer d = peer(w, "d");
        w.runUntil(d::ended, 60 * SECOND);

        assertNull(d.failure, w.trace.toString());
        DownloadResult r = d.result;
        assertNotNull(r, "the download completes in virtual time");
        MemoryStore store = d.disk.store(content.id());
        assertEquals(content.layout().totalChunks(), store.journaled().cardinality(), "every chunk is journaled");
        assertEquals(0, store.wrongWrites(), "no chunk that failed its hash reached the disk");
        assertEquals(List.of(peer(w, "s3").id()), d.banned, "the corrupting peer, and only it, is banned");
        assertTrue(d.badChunks >= DownloadConfig.DEFAULTS.scheduler().strikesToBan(), "it was struck before the ban");
        assertFalse(r.verifiedBytesByPeer().containsKey(peer(w, "s3").id()), "nothing of it is kept");
        long fromVanished = r.verifiedBytesByPeer().getOrDefault(peer(w, "s2").id(), 0L);
        assertTrue(fromVanished > 0 && fromVanished < content.manifest().totalSize() / 2,
                "the vanished peer delivered until it left, and the others took over: " + r.verifiedBytesByPeer());
        assertEquals(content.manifest().totalSize(), r.verifiedBytesByPeer().values().stream().mapToLong(Long::longValue).sum());
        assertTrue(w.now() < 10 * SECOND, "8 MiB at about 15 MB/s takes about a second, not " + w.now() / SECOND + " s");
        assertEquals(2, d.core.keptConnections(), "only the two seeders that served to the end are kept for later");
        w.runFor(SECOND); // chunks still in flight arrive at closed connections
        assertEquals(liveBefore, VirtualSwarm.LIVE_TOKENS.get(), "every chunk payload was released once");
    }

    @Test
    void aRestartedDownloadResumesFromItsJournalAndFetchesOnlyWhatWasNotCommitted() {
        VirtualSwarm w = new VirtualSwarm(content, 11, DownloadConfig.DEFAULTS);
        VirtualSwarm.Peer s1 = w.addPeer("s1", 2 * MB_PER_S, true, false);
        VirtualSwarm.Peer s2 = w.addPeer("s2", 2 * MB_PER_S, true, false);
        VirtualSwarm.Peer d = w.addPeer("d", 2 * MB_PER_S, false, false);
        d.download(List.of(s1, s2));
        w.runFor(1_200 * MS); // about a third, with commits every 250 ms
        d.restart();
        int committed = d.disk.store(content.id()).journaled().cardinality();
        assertTrue(committed > 0 && committed < content.layout().totalChunks(), "restarted part-way: " + committed);
        w.runFor(SECOND);

        d.download(List.of(s1, s2));
        w.runUntil(d::ended, 60 * SECOND);

        assertNull(d.failure, w.trace.toString());
        DownloadResult r = d.result;
        long committedBytes = (long) committed * 64 * 1024;
        assertEquals(committedBytes, r.resumedBytes(), "what the journal listed counts as resumed");
        long missing = content.manifest().totalSize() - committedBytes;
        assertTrue(r.receivedBytes() >= missing && r.receivedBytes() <= missing + 4 * 64 * 1024,
                "only what was not committed is fetched again (plus endgame duplicates): " + r.receivedBytes() + " for " + missing);
        assertEquals(content.layout().totalChunks(), d.disk.store(content.id()).journaled().cardinality());
        assertEquals(0, d.disk.store(content.id()).wrongWrites());
    }

    @Test
    void aDownloaderServesWhatItHasToAnotherWhileItDownloads() {
        VirtualSwarm w = new VirtualSwarm(content, 5, DownloadConfig.DEFAULTS);
        VirtualSwarm.Peer seed = w.addPeer("seed", 4 * MB_PER_S, true, false);
        VirtualSwarm.Peer first = w.addPeer("first", 4 * MB_PER_S, false, false);
        VirtualSwarm.Peer second = w.addPeer("second", 4 * MB_PER_S, false, false);
        first.download(List.of(seed));
        w.runFor(800 * MS);
        second.download(List.of(seed, first));
        w.runUntil(() -> first.ended() && second.ended(), 60 * SECOND);

        assertNotNull(first.result, w.trace.toString());
        assertNotNull(second.result, w.trace.toString());
        long fromFirst = second.result.verifiedBytesByPeer().getOrDefault(first.id(), 0L);
        assertTrue(fromFirst >= content.manifest().totalSize() / 8,
                "the first downloader served part of it while downloading: " + second.result.verifiedBytesByPeer());
        assertTrue(w.trace.toString().contains("first send HAVE"), "it announced chunks as it committed them");
    }

    @Test
    void aSeederAtItsLimitRefusesAsBusyAndTheRefusedDownloadWaitsForItsTurn() {
        VirtualSwarm w = new VirtualSwarm(content, 9, DownloadConfig.DEFAULTS);
        VirtualSwarm.Peer seed = w.addPeer("seed", 2 * MB_PER_S, true, false).places(1);
        VirtualSwarm.Peer first = w.addPeer("first", 2 * MB_PER_S, false, false);
        VirtualSwarm.Peer second = w.addPeer("second", 2 * MB_PER_S, false, false);
        first.download(List.of(seed));
        w.runFor(300 * MS);
        second.download(List.of(seed));
        w.runUntil(() -> first.ended() && second.ended(), 60 * SECOND);

        String trace = w.trace.toString();
        assertTrue(trace.contains("seed send REFUSE BUSY to second"), "the second was refused while the first was served");
        assertNotNull(first.result, trace);
        assertNull(second.failure, "a busy seeder does not end the download: " + trace);
        assertNotNull(second.result, "it asked again and got its turn once the first was done");
        assertEquals(content.manifest().totalSize(), second.result.verifiedBytesByPeer().get(seed.id()));
        long busyRefusals = trace.lines().filter(l -> l.contains("seed send REFUSE BUSY to second")).count();
        assertTrue(busyRefusals >= 2 && busyRefusals <= 4,
                "asked again after 2, 4, 8 s while the first took about 4 s, not hammering: " + busyRefusals);
    }

    @Test
    void aSecondDownloadFromTheSameSeedersReusesTheirConnectionsWhichCloseAMinuteLater() {
        VirtualSwarm w = new VirtualSwarm(content, 23, DownloadConfig.DEFAULTS);
        VirtualSwarm.Peer s1 = w.addPeer("s1", 4 * MB_PER_S, true, false);
        VirtualSwarm.Peer s2 = w.addPeer("s2", 4 * MB_PER_S, true, false);
        VirtualSwarm.Peer d = w.addPeer("d", 4 * MB_PER_S, false, false);
        d.download(List.of(s1, s2));
        w.runUntil(d::ended, 60 * SECOND);
        assertNotNull(d.result, w.trace.toString());
        assertEquals(2, d.core.keptConnections(), "both connections are kept for a next download");
        w.runFor(5 * SECOND);
        d.deleteDownloaded(); // the next download fetches it all again

        d.download(List.of(s1, s2));
        w.runUntil(d::ended, 60 * SECOND);

        String trace = w.trace.toString();
        assertNotNull(d.result, trace);
        assertEquals(2, trace.lines().filter(l -> l.contains(" d dial ")).count(), "the second download dialled nobody: " + trace);
        assertEquals(content.manifest().totalSize(), d.result.verifiedBytesByPeer().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(2, d.result.verifiedBytesByPeer().size(), "both kept connections delivered: " + d.result.verifiedBytesByPeer());
        assertEquals(0, d.disk.store(content.id()).wrongWrites());
        assertEquals(1, s1.core.uploadConnections(), "the seeder still serves the one connection");
        w.runFor(61 * SECOND);
        assertEquals(0, d.core.keptConnections(), "a minute after the download they are closed");
        assertEquals(0, s1.core.uploadConnections() + s2.core.uploadConnections(), "and the seeders' places are free");
    }

    @Test
    void aKeptConnectionThatDiedSilentlyIsReplacedByAFreshDialWithinSeconds() {
        VirtualSwarm w = new VirtualSwarm(content, 31, DownloadConfig.DEFAULTS);
        VirtualSwarm.Peer s1 = w.addPeer("s1", MB_PER_S, true, false);
        VirtualSwarm.Peer s2 = w.addPeer("s2", MB_PER_S, true, false);
        VirtualSwarm.Peer d = w.addPeer("d", 4 * MB_PER_S, false, false);
        d.download(List.of(s1, s2));
        w.runUntil(d::ended, 60 * SECOND);
        assertNotNull(d.result, w.trace.toString());
        assertEquals(2, d.core.keptConnections());
        s1.natForgets(); // no FIN, no reset: the kept connection to s1 is dead and nobody knows
        w.runFor(5 * SECOND);
        d.deleteDownloaded();
        long start = w.now();

        d.download(List.of(s1, s2));
        w.runUntil(d::ended, 60 * SECOND);

        String trace = w.trace.toString();
        assertNull(d.failure, trace);
        assertNotNull(d.result, trace);
        List<Long> dialsOfS1 = trace.lines().filter(l -> l.endsWith(" d dial " + s1.id().shortHex()))
                .map(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).toList();
        assertEquals(2, dialsOfS1.size(), "s1 is dialled afresh once its kept connection proved dead: " + trace);
        long waitedMillis = dialsOfS1.get(1) - start / MS;
        assertTrue(waitedMillis >= 5_000 && waitedMillis < 6_000,
                "after the kept connection's 5 s to answer, not the 30 s a new one gets: " + waitedMillis + " ms");
        assertTrue(d.result.verifiedBytesByPeer().getOrDefault(s1.id(), 0L) > 0, "s1 delivered over the fresh connection: "
                + d.result.verifiedBytesByPeer());
    }

    @Test
    void aConnectionKeptAfterADownloadGivesItsPlaceToANewcomerOnceQuiet() {
        VirtualSwarm w = new VirtualSwarm(content, 29, DownloadConfig.DEFAULTS);
        VirtualSwarm.Peer seed = w.addPeer("seed", 8 * MB_PER_S, true, false).places(1);
        VirtualSwarm.Peer first = w.addPeer("first", 8 * MB_PER_S, false, false);
        VirtualSwarm.Peer second = w.addPeer("second", 8 * MB_PER_S, false, false);
        first.download(List.of(seed));
        w.runUntil(first::ended, 60 * SECOND);
        assertNotNull(first.result, w.trace.toString());
        assertEquals(1, first.core.keptConnections(), "the first keeps its connection, holding the seeder's one place");
        long done = w.now();

        second.download(List.of(seed));
        w.runUntil(second::ended, 120 * SECOND);

        String trace = w.trace.toString();
        assertNotNull(second.result, trace);
        assertEquals(content.manifest().totalSize(), second.result.verifiedBytesByPeer().get(seed.id()));
        assertEquals(0, first.core.keptConnections(), "the seeder let the quiet kept connection go");
        long waited = w.now() - done;
        assertTrue(waited < 20 * SECOND, "the newcomer got the place within a few busy refusals, not after the minute "
                + "a kept connection lasts: " + waited / SECOND + " s");
    }

    @Test
    void oneSeedReplaysTheSameRunExactlyAndAnotherDoesNot() {
        VirtualSwarm a = swarm(3);
        a.runUntil(peer(a, "d")::ended, 60 * SECOND);
        VirtualSwarm b = swarm(3);
        b.runUntil(peer(b, "d")::ended, 60 * SECOND);
        VirtualSwarm c = swarm(4);
        c.runUntil(peer(c, "d")::ended, 60 * SECOND);

        assertTrue(a.trace.length() > 5_000, "the trace records the run: " + a.trace.length() + " characters");
        assertEquals(a.trace.toString(), b.trace.toString());
        assertNotEquals(a.trace.toString(), c.trace.toString(), "the seed drives the choices");
    }

    @Test
    void aDownloadWhosePlacesArePeersLackingWhatItStillNeedsMakesRoomForAPeerThatHasIt() {
        DownloadConfig twoPlaces = new DownloadConfig(DownloadConfig.DEFAULTS.scheduler(), 5_000, 3, 2, 250, 120_000,
                30_000, 30_000, 0);
        VirtualSwarm w = new VirtualSwarm(content, 13, twoPlaces);
        BitSet firstEight = new BitSet();
        firstEight.set(0, 8);
        VirtualSwarm.Peer part1 = w.addPeer("part1", 4 * MB_PER_S, false, false);
        VirtualSwarm.Peer part2 = w.addPeer("part2", 4 * MB_PER_S, false, false);
        part1.sharePart(firstEight);
        part2.sharePart(firstEight);
        VirtualSwarm.Peer seed = w.addPeer("seed", 4 * MB_PER_S, true, false);
        VirtualSwarm.Peer d = w.addPeer("d", 4 * MB_PER_S, false, false);
        d.download(List.of(part1, part2, seed)); // two places, both taken by peers that lack the first eight chunks
        w.runUntil(d::ended, 300 * SECOND);

        assertNull(d.failure, w.trace.toString());
        assertNotNull(d.result);
        long fromSeed = d.result.verifiedBytesByPeer().getOrDefault(seed.id(), 0L);
        assertTrue(fromSeed >= 8 * 64 * 1024, "the seeder waiting in line delivered what the others lack: "
                + d.result.verifiedBytesByPeer());
        assertTrue(w.now() < 30 * SECOND, "no wait for the download's 120 s limit: done at " + w.now() / SECOND + " s");
    }

    @Test
    void aSeederSendsToFourPeersAtATimeAndEveryOneOfSixGetsItsTurn() {
        DownloadConfig fiveSecondsStuck = new DownloadConfig(DownloadConfig.DEFAULTS.scheduler(), 5_000, 3, 16, 250, 5_000,
                30_000, 30_000, 0);
        VirtualSwarm w = new VirtualSwarm(content, 17, fiveSecondsStuck); // a turn comes after 10 s
        VirtualSwarm.Peer seed = w.addPeer("seed", 4 * MB_PER_S, true, false);
        List<VirtualSwarm.Peer> downloaders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            VirtualSwarm.Peer d = w.addPeer("d" + i, 4 * MB_PER_S, false, false);
            d.download(List.of(seed));
            downloaders.add(d);
        }
        w.runUntil(() -> downloaders.stream().allMatch(VirtualSwarm.Peer::ended), 300 * SECOND);

        for (VirtualSwarm.Peer d : downloaders) {
            assertNull(d.failure, d.name + " waited its turn, it was not stuck: " + w.trace);
            assertNotNull(d.result, d.name);
        }
        assertTrue(w.trace.toString().contains("seed send REFUSE BUSY"), "two of six wait for a slot: " + w.trace);
        assertTrue(w.now() < 60 * SECOND, "48 MiB at 4 MB/s is about 13 s, and turns waste little: " + w.now() / SECOND + " s");
    }

    @Test
    void aSeederThatStopsSharingIsLetGoAndTheOtherFinishes() {
        VirtualSwarm w = new VirtualSwarm(content, 19, DownloadConfig.DEFAULTS);
        VirtualSwarm.Peer quitter = w.addPeer("quitter", 2 * MB_PER_S, true, false);
        VirtualSwarm.Peer stayer = w.addPeer("stayer", 2 * MB_PER_S, true, false);
        VirtualSwarm.Peer d = w.addPeer("d", 4 * MB_PER_S, false, false);
        d.download(List.of(quitter, stayer));
        w.at(500 * MS, quitter.served::clear); // its user stops sharing; the connection stays open
        w.runUntil(d::ended, 60 * SECOND);

        assertNull(d.failure, w.trace.toString());
        assertNotNull(d.result);
        String trace = w.trace.toString();
        assertTrue(trace.contains("quitter send REFUSE UNKNOWN_CONTENT to d"), "it says it no longer shares it: " + trace);
        String lastProgress = trace.substring(trace.lastIndexOf(" d progress "));
        assertTrue(lastProgress.startsWith(" d progress 8388608/8388608 from 1\n"),
                "the download let go of it rather than keep a connection that serves nothing: " + lastProgress);
    }
}
