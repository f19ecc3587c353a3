package dev.p2p.transfer.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.schedule.SchedulerConfig;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.wire.Bitfields;
import dev.p2p.transfer.wire.ByteBufPayload;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeders that lie to a downloader: a manifest that is not the content's, bitfields that claim
 * chunks they then refuse or never send, a stall mid-transfer, a chunk frame that never ends,
 * corrupt chunks. The download completes from the honest seeder; liars are banned or dropped.
 */
class LyingPeerTest {
    @TempDir Path tmp;

    @Test
    void lyingPeersAreDroppedAndTheDownloadCompletesFromHonestOnes() throws Exception {
        long size = 8L << 20; // 32 chunks
        Path file = Seeders.randomFile(tmp.resolve("seed/l.bin"), size, 1);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        SharedContent other = new Indexer().index(Seeders.randomFile(tmp.resolve("other/o.bin"), 1 << 20, 2), (d, t) -> {});
        ContentId id = content.id();
        Map<String, FakePeer> liars = new HashMap<>();
        AtomicInteger servedByStaller = new AtomicInteger();
        List<FakePeer> all = new ArrayList<>();
        try {
            liars.put("fake manifest", fake(all, 1, (ch, m) -> {
                if (m instanceof Message.GetManifest) {
                    ch.write(new Message.ManifestData(id, other.manifestBytes()));
                    ch.writeAndFlush(bitfield(content));
                }
            }));
            liars.put("refuser", fake(all, 2, honestExcept(content, file, (ch, r) ->
                    ch.writeAndFlush(new Message.Refuse(id, MessageCodec.REQUEST, r.chunk(), Message.Reason.NOT_AVAILABLE,
                            "do not have it after all")))));
            liars.put("silent", fake(all, 3, honestExcept(content, file, (ch, r) -> {})));
            liars.put("stalls midway", fake(all, 4, honestExcept(content, file, (ch, r) -> {
                if (servedByStaller.incrementAndGet() <= 3) {
                    ch.writeAndFlush(chunk(content, file, r.chunk(), false));
                }
            })));
            liars.put("never-ending frame", fake(all, 5, honestExcept(content, file, (ch, r) ->
                    ch.writeAndFlush(Unpooled.buffer().writeInt(1 + 32 + 4 + 256 * 1024).writeByte(MessageCodec.CHUNK)
                            .writeBytes(id.toBytes()).writeInt(r.chunk()).writeZero(100)))));
            liars.put("corrupt", fake(all, 6, honestExcept(content, file, (ch, r) ->
                    ch.writeAndFlush(chunk(content, file, r.chunk(), true)))));
            Set<Integer> badChunks = Collections.synchronizedSet(new HashSet<>());
            Map<NodeId, String> bans = Collections.synchronizedMap(new HashMap<>());
            DownloadListener listener = new DownloadListener() {
                @Override
                public void onPeerBanned(NodeId peer, String reason) {
                    bans.put(peer, reason);
                }

                @Override
                public void onBadChunk(NodeId peer, int chunk) {
                    badChunks.add(chunk);
                }
            };
            SchedulerConfig quickStall = new SchedulerConfig(2, 32, 4, 500_000_000L, 1_000_000_000L, 3, 2);
            DownloadConfig cfg = DownloadConfig.DEFAULTS.withScheduler(quickStall).withPeerTimeouts(3_000, 1_000);
            try (Seeders seeders = new Seeders(); Downloader d = new Downloader(Identity.generate(new Random(9)), cfg)) {
                seeders.start(content, ServerConfig.DEFAULTS.withUploadRate(3L << 20), 7);
                List<PeerAddress> peers = new ArrayList<>();
                all.forEach(f -> peers.add(f.address()));
                peers.addAll(seeders.addresses());
                DownloadResult r = d.download(id, peers, tmp.resolve("out"), listener);

                assertEquals(-1, Files.mismatch(file, r.path()), "only verified bytes were kept");
                NodeId honest = seeders.servers().get(0).nodeId();
                NodeId staller = liars.get("stalls midway").address().nodeId();
                Set<NodeId> delivered = new HashSet<>(r.verifiedBytesByPeer().keySet());
                delivered.remove(staller);
                assertEquals(Set.of(honest), delivered, "verified bytes came from the honest seeder (and the "
                        + "staller's first chunks): " + r.verifiedBytesByPeer());
                assertTrue(r.verifiedBytesByPeer().getOrDefault(staller, 0L) <= 3L * 256 * 1024);
                assertEquals(Set.of(liars.get("fake manifest").address().nodeId(), liars.get("corrupt").address().nodeId()),
                        r.bannedPeers(), "banned: " + bans);
                assertTrue(bans.get(liars.get("fake manifest").address().nodeId()).contains("manifest"));
                assertTrue(r.rejectedChunks() >= 3 && !badChunks.isEmpty(), "corrupt chunks were rejected");
                for (String name : List.of("silent", "stalls midway", "never-ending frame", "corrupt", "fake manifest")) {
                    assertTrue(AbuseTest.waitFor(() -> liars.get(name).disconnects() > 0, 2_000), name + " was dropped");
                }
                double seconds = r.elapsedNanos() / 1e9;
                System.out.printf(Locale.ROOT, "ABUSE liars: 8 MiB from 1 honest seeder (cap 3 MiB/s) + 6 lying peers in "
                        + "%.1f s (%.1f MB/s), %d chunks rejected, banned %d, dropped stallers after 2 x 1 s%n", seconds,
                        r.bytesPerSecond() / 1e6, r.rejectedChunks(), r.bannedPeers().size());
                assertTrue(seconds < 20, "liars did not stall the download: " + seconds + " s");
            }
        } finally {
            all.forEach(FakePeer::close);
        }
    }

    private static FakePeer fake(List<FakePeer> all, long seed, BiConsumer<Channel, Message> script) throws Exception {
        Identity me = Identity.generate(new Random(1000 + seed));
        FakePeer p = new FakePeer(me, new Message.Hello(Message.VERSION, me.nodeId()), script);
        all.add(p);
        return p;
    }

    /** Answers manifest, bitfield (every chunk) and hashes truthfully; REQUEST as {@code onRequest} says. */
    private static BiConsumer<Channel, Message> honestExcept(SharedContent c, Path file,
            BiConsumer<Channel, Message.Request> onRequest) {
        return (ch, m) -> {
            if (m instanceof Message.GetManifest) {
                ch.write(new Message.ManifestData(c.id(), c.manifestBytes()));
                ch.writeAndFlush(bitfield(c));
            } else if (m instanceof Message.GetHashes g) {
                ch.writeAndFlush(new Message.HashesData(c.id(), g.entry(), g.first(), c.leafHashes(g.entry(), g.first(), g.count())));
            } else if (m instanceof Message.Request r) {
                onRequest.accept(ch, r);
            }
        };
    }

    private static Message.Bitfield bitfield(SharedContent c) {
        int n = c.layout().totalChunks();
        BitSet all = new BitSet();
        all.set(0, n);
        return new Message.Bitfield(c.id(), n, Bitfields.toWire(all, n));
    }

    private static Message.ChunkData chunk(SharedContent c, Path file, int chunk, boolean corrupt) {
        ByteBuffer buf = ByteBuffer.allocate(c.layout().chunkLength(chunk));
        try (FileChannel ch = FileChannel.open(file)) {
            ch.read(buf, c.layout().offsetInFile(chunk));
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        }
        byte[] data = buf.array();
        if (corrupt) {
            data[100] ^= 0x40;
        }
        return new Message.ChunkData(c.id(), chunk, new ByteBufPayload(Unpooled.wrappedBuffer(data)));
    }
}
