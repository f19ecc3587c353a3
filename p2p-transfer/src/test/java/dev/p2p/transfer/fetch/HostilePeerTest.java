package dev.p2p.transfer.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Hashes;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.TransferServer;
import dev.p2p.transfer.wire.Message;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers that lie about who they are or send unsafe manifests. */
class HostilePeerTest {
    @TempDir Path tmp;

    @Test
    void manifestWithEscapingPathsIsRefusedAndNothingIsWrittenOutside() throws Exception {
        for (String evil : List.of("../escaped.txt", "/tmp/absolute.txt", "ok/../../escaped.txt")) {
            byte[] manifest = directoryManifest("box", evil);
            ContentId id = ContentId.ofManifest(manifest);
            Identity peer = Identity.generate(new Random(5));
            Path out = Files.createDirectories(tmp.resolve("dl/out"));
            try (FakePeer fake = new FakePeer(peer, new Message.Hello(Message.VERSION, peer.nodeId()), (ch, m) -> {
                if (m instanceof Message.GetManifest) {
                    ch.writeAndFlush(new Message.ManifestData(id, manifest));
                }
            }); Downloader d = AdversityTest.downloader()) {
                DownloadException e = assertThrows(DownloadException.class,
                        () -> d.download(id, List.of(fake.address()), out, DownloadListener.NONE));
                assertTrue(e.getMessage().contains("unsafe"), e.getMessage());
            }
            try (Stream<Path> all = Files.walk(tmp)) {
                assertEquals(List.of(tmp, tmp.resolve("dl"), out), all.sorted().toList(), "nothing written for " + evil);
            }
            assertFalse(Files.exists(Path.of("/tmp/absolute.txt")));
        }
    }

    @Test
    void peerWhoseCertificateDoesNotMatchItsNodeIdIsRefused() throws Exception {
        Path file = Seeders.randomFile(tmp.resolve("seed/f.bin"), 1 << 20, 1);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        NodeId claimed = Identity.generate(new Random(77)).nodeId();
        List<String> bans = new CopyOnWriteArrayList<>();
        try (Seeders seeders = new Seeders(); Downloader d = AdversityTest.downloader()) {
            TransferServer real = seeders.start(content, ServerConfig.DEFAULTS, 6);
            PeerAddress impostor = new PeerAddress("127.0.0.1", real.address().port(), claimed);
            DownloadException e = assertThrows(DownloadException.class, () -> d.download(content.id(), List.of(impostor),
                    tmp.resolve("out"), new DownloadListener() {
                        @Override
                        public void onPeerBanned(NodeId peer, String reason) {
                            bans.add(reason);
                        }
                    }));
            assertTrue(e.getMessage().contains("no peer left") && e.getMessage().contains("certificate key"), e.getMessage());
            assertEquals(1, bans.size());
            assertTrue(bans.get(0).contains("certificate key"), bans.get(0));
            assertEquals(0, real.bytesUploaded());
        }
    }

    @Test
    void serverDropsClientWhoseHelloClaimsAnotherNodeId() throws Exception {
        Path file = Seeders.randomFile(tmp.resolve("seed/f.bin"), 1 << 20, 1);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        Identity client = Identity.generate(new Random(8));
        NodeId lie = Identity.generate(new Random(9)).nodeId();
        List<Message> received = new CopyOnWriteArrayList<>();
        EventLoopGroup group = new NioEventLoopGroup(1);
        try (Seeders seeders = new Seeders()) {
            TransferServer server = seeders.start(content, ServerConfig.DEFAULTS, 7);
            Channel ch = TestClient.connect(group, server.address(), client, received);
            ch.write(new Message.Hello(Message.VERSION, lie));
            ch.writeAndFlush(new Message.GetManifest(content.id()));
            assertTrue(ch.closeFuture().await(5, TimeUnit.SECONDS), "server closed the connection");
            assertTrue(received.stream().noneMatch(m -> m instanceof Message.ManifestData), "nothing served: " + received);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** A directory manifest with one file entry at {@code path}, encoded without any checks. */
    static byte[] directoryManifest(String name, String path) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBytes("P2PM");
            out.writeByte(1);
            out.writeByte(1);
            out.writeInt(256 * 1024);
            out.writeShort(name.length());
            out.writeBytes(name);
            out.writeInt(1);
            out.writeByte(0);
            byte[] p = path.getBytes(StandardCharsets.UTF_8);
            out.writeShort(p.length);
            out.write(p);
            out.writeLong(5);
            out.write(Hashes.leaf(java.nio.ByteBuffer.wrap("evil!".getBytes(StandardCharsets.UTF_8))));
        }
        return bytes.toByteArray();
    }
}
