package dev.p2p.node.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.node.TestFiles;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole peers in virtual time, each the code a node runs (PeerCore over a TransferCore and a
 * DhtNode) with no socket, thread or clock: one peer shares, and others fetch knowing only the
 * content id, found through the DHT; one seed replays the run exactly.
 */
class VirtualPeersTest {
    private static final long MS = VirtualSwarm.MS;
    private static final long SECOND = 1_000 * MS;
    @TempDir static Path tmp;
    static SharedContent content;

    @BeforeAll
    static void content() throws Exception {
        content = new Indexer(64 * 1024).index(TestFiles.random(tmp.resolve("album.zip"), 4L << 20, 9), (d, t) -> {});
    }

    /** Twelve peers join through the first; the fifth shares; the ninth and the twelfth fetch by id. */
    private static VirtualSwarm network(long seed) {
        VirtualSwarm w = new VirtualSwarm(content, seed, DownloadConfig.DEFAULTS);
        List<VirtualSwarm.Peer> peers = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            peers.add(w.addPeer("p" + i, 3_000_000, false, false));
        }
        for (VirtualSwarm.Peer p : peers) {
            p.join(peers.get(0));
        }
        w.runFor(10 * SECOND);
        peers.get(4).share();
        w.runFor(5 * SECOND);
        peers.get(8).get();
        peers.get(11).get();
        w.runUntil(() -> peers.get(8).ended() && peers.get(11).ended(), 120 * SECOND);
        return w;
    }

    /** {@code count} peers join through the first, and the fifth shares at 0.5 MB/s (the others have 3). */
    private static VirtualSwarm slowSharer(long seed, int count) {
        VirtualSwarm w = new VirtualSwarm(content, seed, DownloadConfig.DEFAULTS);
        List<VirtualSwarm.Peer> peers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            peers.add(w.addPeer("p" + i, i == 5 ? 500_000 : 3_000_000, false, false));
        }
        peers.forEach(p -> p.join(peers.get(0)));
        w.runFor(10 * SECOND);
        peers.get(4).share();
        w.runFor(5 * SECOND);
        return w;
    }

    private static VirtualSwarm.Peer peer(VirtualSwarm w, String name) {
        return w.peers.values().stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow();
    }

    @Test
    void peersFetchWhatAnotherSharesFoundThroughTheDhtByItsIdAlone() {
        VirtualSwarm w = network(21);
        for (String getter : List.of("p9", "p12")) {
            VirtualSwarm.Peer p = peer(w, getter);
            assertNull(p.failure, w.trace.toString());
            assertNotNull(p.result, getter + " completed");
            assertEquals(content.manifest().totalSize(), p.result.verifiedBytesByPeer().get(peer(w, "p5").id()),
                    getter + " got every byte from the sharer, the only provider");
            assertEquals(0, p.disk.store(content.id()).wrongWrites());
        }
        assertTrue(w.trace.toString().contains("p5 announced"), "the sharer announced in the DHT");
    }

    @Test
    void aDownloaderIsFoundThroughTheDhtWhileItDownloadsAndServesOthersWhatItHolds() {
        VirtualSwarm w = slowSharer(41, 12);
        VirtualSwarm.Peer early = peer(w, "p9");
        VirtualSwarm.Peer late = peer(w, "p12");
        early.get();
        w.runFor(3 * SECOND);
        assertTrue(early.dht.providedKeys().contains(content.id().toKey()), "it announces what it holds part of");
        late.get();
        w.runUntil(() -> early.ended() && late.ended(), 120 * SECOND);

        assertNotNull(late.result, w.trace.toString());
        long fromEarly = late.result.verifiedBytesByPeer().getOrDefault(early.id(), 0L);
        assertTrue(fromEarly > 0, "the late downloader found the early one in the DHT and fetched from it: "
                + late.result.verifiedBytesByPeer());
        String trace = w.trace.toString();
        assertTrue(trace.indexOf("p9 announced") < trace.indexOf("p9 got it"), "announced before it was complete");
    }

    @Test
    void aDownloadThatFailsWithdrawsWhatItAnnounced() {
        VirtualSwarm w = slowSharer(43, 8);
        VirtualSwarm.Peer getter = peer(w, "p7");
        getter.get();
        w.runFor(3 * SECOND);
        assertTrue(getter.dht.providedKeys().contains(content.id().toKey()), "announced while it held chunks");
        peer(w, "p5").vanish();
        w.runUntil(getter::ended, 300 * SECOND);

        assertNotNull(getter.failure, "the only provider left: " + w.trace);
        assertTrue(getter.dht.providedKeys().isEmpty(), "it serves nothing after the failure, so it announces nothing");
    }

    @Test
    void oneSeedReplaysTheWholeNetworkExactly() {
        VirtualSwarm a = network(33);
        VirtualSwarm b = network(33);
        VirtualSwarm c = network(34);
        assertEquals(a.trace.toString(), b.trace.toString());
        assertNotEquals(a.trace.toString(), c.trace.toString());
        assertTrue(a.trace.toString().contains("p9 got it") && a.trace.toString().contains("p12 got it"));
    }
}
