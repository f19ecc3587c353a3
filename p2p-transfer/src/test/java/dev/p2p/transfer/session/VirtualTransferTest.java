package dev.p2p.transfer.session;

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
import dev.p2p.transfer.fetch.Seeders;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer state machines in virtual time, with no socket, thread or clock: several seeders
 * (one corrupting every chunk, one vanishing mid-way), a downloader that crashes and resumes from
 * its journal, and the same seed replaying the same run.
 */
class VirtualTransferTest {
    private static final long SECOND = 1_000 * VirtualSwarm.MS;
    private static final long MB_PER_S = 1_000_000;
    @TempDir static Path tmp;
    static SharedContent content; // 8 MiB in 128 chunks of 64 KiB

    @BeforeAll
    static void content() throws Exception {
        Path file = Seeders.randomFile(tmp.resolve("movie.bin"), 8L << 20, 5);
        content = new Indexer(64 * 1024).index(file, (done, total) -> {});
    }

    /** Four seeders at 5 MB/s each; the third corrupts every chunk, the second vanishes after 300 ms. */
    private static VirtualSwarm swarm(long seed) {
        VirtualSwarm w = new VirtualSwarm(content, seed, DownloadConfig.DEFAULTS);
        w.addSeeder(5 * MB_PER_S, false);
        VirtualSwarm.Seeder vanishing = w.addSeeder(5 * MB_PER_S, false);
        w.addSeeder(5 * MB_PER_S, true);
        w.addSeeder(5 * MB_PER_S, false);
        w.at(300 * VirtualSwarm.MS, vanishing::vanish);
        return w;
    }

    @Test
    void everyChunkArrivesVerifiedDespiteACorruptingPeerAndOneThatVanishes() {
        int liveBefore = TokenPayload.LIVE.get();
        VirtualSwarm w = swarm(7);
        List<VirtualSwarm.Seeder> seeders = List.copyOf(w.seeders.values());
        VirtualSwarm.Downloader d = w.startDownload();
        w.run(60 * SECOND);

        assertNull(d.failure, w.trace.toString());
        DownloadResult r = d.result;
        assertNotNull(r, "the download completes in virtual time");
        int chunks = content.layout().totalChunks();
        assertEquals(chunks, w.store.journaled().cardinality(), "every chunk is journaled");
        assertEquals(0, w.store.wrongWrites, "no chunk that failed its hash reached the disk");
        assertEquals(List.of(seeders.get(2).address.nodeId()), d.banned, "the corrupting peer, and only it, is banned");
        assertTrue(d.badChunks >= DownloadConfig.DEFAULTS.scheduler().strikesToBan(), "it was struck before the ban");
        assertFalse(r.verifiedBytesByPeer().containsKey(seeders.get(2).address.nodeId()), "nothing of it is kept");
        long fromVanished = r.verifiedBytesByPeer().getOrDefault(seeders.get(1).address.nodeId(), 0L);
        assertTrue(fromVanished > 0 && fromVanished < content.manifest().totalSize() / 2,
                "the vanished peer delivered until it left, and the others took over: " + r.verifiedBytesByPeer());
        assertEquals(content.manifest().totalSize(), r.verifiedBytesByPeer().values().stream().mapToLong(Long::longValue).sum());
        assertTrue(w.now() < 10 * SECOND, "8 MiB at about 15 MB/s takes about a second, not " + w.now() / SECOND + " s");
        w.runFor(SECOND); // let chunks still in flight arrive at the closed connections
        assertEquals(liveBefore, TokenPayload.LIVE.get(), "every chunk payload was released once");
    }

    @Test
    void aRestartedDownloadResumesFromItsJournalAndFetchesOnlyWhatWasNotCommitted() {
        VirtualSwarm w = new VirtualSwarm(content, 11, DownloadConfig.DEFAULTS);
        w.addSeeder(2 * MB_PER_S, false);
        w.addSeeder(2 * MB_PER_S, false);
        w.startDownload();
        w.runFor(1_200 * VirtualSwarm.MS); // about a third, with commits every 250 ms
        w.crashDownloader();
        int committed = w.store.journaled().cardinality();
        assertTrue(committed > 0 && committed < content.layout().totalChunks(), "crashed half-way: " + committed);
        w.runFor(SECOND);

        VirtualSwarm.Downloader again = w.startDownload();
        w.run(60 * SECOND);

        assertNull(again.failure, w.trace.toString());
        DownloadResult r = again.result;
        long committedBytes = (long) committed * 64 * 1024;
        assertEquals(committedBytes, r.resumedBytes(), "what the journal listed counts as resumed");
        long missing = content.manifest().totalSize() - committedBytes;
        assertTrue(r.receivedBytes() >= missing && r.receivedBytes() <= missing + 4 * 64 * 1024,
                "only what was not committed is fetched again (plus endgame duplicates): " + r.receivedBytes() + " for " + missing);
        assertEquals(content.layout().totalChunks(), w.store.journaled().cardinality());
        assertEquals(0, w.store.wrongWrites);
    }

    @Test
    void oneSeedReplaysTheSameRunExactlyAndAnotherDoesNot() {
        VirtualSwarm a = swarm(3);
        a.startDownload();
        a.run(60 * SECOND);
        VirtualSwarm b = swarm(3);
        b.startDownload();
        b.run(60 * SECOND);
        VirtualSwarm c = swarm(4);
        c.startDownload();
        c.run(60 * SECOND);

        assertTrue(a.trace.length() > 5_000, "the trace records the run: " + a.trace.length() + " characters");
        assertEquals(a.trace.toString(), b.trace.toString());
        assertNotEquals(a.trace.toString(), c.trace.toString(), "the seed drives the choices");
    }
}
