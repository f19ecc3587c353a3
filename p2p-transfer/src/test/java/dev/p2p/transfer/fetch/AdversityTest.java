package dev.p2p.transfer.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.schedule.SchedulerConfig;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.TransferServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads that meet corrupting, vanishing and changing seeders. */
class AdversityTest {
    @TempDir Path tmp;

    @Test
    void corruptingSeederIsBannedAndNothingCorruptIsKept() throws Exception {
        long size = 32L << 20;
        Path file = Seeders.randomFile(tmp.resolve("seed/c.bin"), size, 2);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        Set<Integer> corrupted = Collections.synchronizedSet(new HashSet<>());
        ServerConfig evil = ServerConfig.DEFAULTS.withTamper((chunk, data) -> {
            if (chunk % 3 == 0) {
                corrupted.add(chunk);
                data.setByte(data.readerIndex() + 100, data.getByte(data.readerIndex() + 100) ^ 0x40);
            }
        });
        Set<NodeId> bannedSeen = Collections.synchronizedSet(new HashSet<>());
        Set<Integer> badSeen = Collections.synchronizedSet(new HashSet<>());
        DownloadListener listener = new DownloadListener() {
            @Override
            public void onPeerBanned(NodeId peer, String reason) {
                bannedSeen.add(peer);
            }

            @Override
            public void onBadChunk(NodeId peer, int chunk) {
                badSeen.add(chunk);
            }
        };
        try (Seeders seeders = new Seeders(); Downloader d = downloader()) {
            TransferServer liar = seeders.start(content, evil, 1);
            seeders.start(content, ServerConfig.DEFAULTS.withUploadRate(24L << 20), 2);
            seeders.start(content, ServerConfig.DEFAULTS.withUploadRate(24L << 20), 3);
            DownloadResult r = d.download(content.id(), seeders.addresses(), tmp.resolve("out"), listener);
            assertEquals(-1, Files.mismatch(file, r.path()));
            assertEquals(Set.of(liar.nodeId()), r.bannedPeers());
            assertEquals(Set.of(liar.nodeId()), bannedSeen);
            assertTrue(r.rejectedChunks() >= 3, "rejected " + r.rejectedChunks());
            assertTrue(corrupted.containsAll(badSeen), "every rejected chunk was a corrupted one");
        }
    }

    @Test
    void seederDisappearingMidwayIsReplacedByTheOthers() throws Exception {
        long size = 48L << 20;
        Path file = Seeders.randomFile(tmp.resolve("seed/d.bin"), size, 3);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        try (Seeders seeders = new Seeders(); Downloader d = downloader()) {
            for (int i = 0; i < 3; i++) {
                seeders.start(content, ServerConfig.DEFAULTS.withUploadRate(12L << 20), 10 + i);
            }
            TransferServer leaver = seeders.servers().get(0);
            AtomicBoolean closed = new AtomicBoolean();
            DownloadListener listener = new DownloadListener() {
                @Override
                public void onProgress(long verified, long total, int peers) {
                    if (verified > total / 4 && closed.compareAndSet(false, true)) {
                        new Thread(leaver::close).start();
                    }
                }
            };
            DownloadResult r = d.download(content.id(), seeders.addresses(), tmp.resolve("out"), listener);
            assertTrue(closed.get());
            assertEquals(-1, Files.mismatch(file, r.path()));
            long fromLeaver = r.verifiedBytesByPeer().getOrDefault(leaver.nodeId(), 0L);
            assertTrue(fromLeaver > 0 && fromLeaver < size / 2, "leaver sent part: " + r.verifiedBytesByPeer());
        }
    }

    @Test
    void changedFileIsNeverSentAndStopsBeingServed() throws Exception {
        Path file = Seeders.randomFile(tmp.resolve("seed/s.bin"), 4L << 20, 4);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        FileTime mtime = Files.getLastModifiedTime(file);
        Seeders.randomFile(file, 4L << 20, 5); // same size, other bytes, and the old mtime put back
        Files.setLastModifiedTime(file, mtime);
        try (Seeders seeders = new Seeders(); Downloader d = downloader()) {
            TransferServer s = seeders.start(content, ServerConfig.DEFAULTS, 20);
            DownloadException e = assertThrows(DownloadException.class,
                    () -> d.download(content.id(), seeders.addresses(), tmp.resolve("out"), DownloadListener.NONE));
            assertTrue(e.getMessage().contains("no peer left") && e.getMessage().contains("changed on disk"), e.getMessage());
            assertEquals(0, s.bytesUploaded(), "no byte that does not match was sent");
            assertNull(s.registry().servable(content.id()));
            assertFalse(Files.exists(tmp.resolve("out/s.bin")));
        }
    }

    @Test
    void peersBeyondTheConnectionLimitWaitForOneToBeGivenUp() throws Exception {
        Path file = Seeders.randomFile(tmp.resolve("seed/w.bin"), 2L << 20, 6);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        DownloadConfig onePeer = new DownloadConfig(SchedulerConfig.DEFAULTS, 2_000, 2, 1, 250, 30_000, 30_000, 30_000, 0);
        try (Seeders seeders = new Seeders();
                Downloader d = new Downloader(Identity.generate(new Random(5)), onePeer)) {
            TransferServer gone = seeders.start(content, ServerConfig.DEFAULTS, 30);
            TransferServer first = seeders.start(content, ServerConfig.DEFAULTS, 31);
            TransferServer second = seeders.start(content, ServerConfig.DEFAULTS, 32);
            List<PeerAddress> peers = seeders.addresses();
            gone.close();
            DownloadResult r = d.download(content.id(), peers, tmp.resolve("out"), DownloadListener.NONE);
            assertEquals(-1, Files.mismatch(file, r.path()));
            assertEquals(Set.of(first.nodeId()), r.verifiedBytesByPeer().keySet(), "one peer at a time, in order");
            assertEquals(0, second.bytesUploaded());
        }
    }

    static Downloader downloader() {
        return new Downloader(Identity.generate(new Random(99)), DownloadConfig.DEFAULTS);
    }
}
