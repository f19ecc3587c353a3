package dev.p2p.transfer.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.TransferServer;
import dev.p2p.transfer.wire.Message;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving side's limits: upload rate, concurrent peers, what is shared. */
class TransferLimitsTest {
    @TempDir Path tmp;

    @Test
    void uploadRateIsCapped() throws Exception {
        long size = 12L << 20;
        Path file = Seeders.randomFile(tmp.resolve("seed/r.bin"), size, 1);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        try (Seeders seeders = new Seeders(); Downloader d = AdversityTest.downloader()) {
            seeders.start(content, ServerConfig.DEFAULTS.withUploadRate(6L << 20), 1);
            DownloadResult r = d.download(content.id(), seeders.addresses(), tmp.resolve("out"), DownloadListener.NONE);
            assertEquals(-1, Files.mismatch(file, r.path()));
            double rate = r.bytesPerSecond();
            assertTrue(rate < 7.5 * (1 << 20), "rate " + rate + " within 6 MiB/s plus burst");
        }
    }

    @Test
    void peersBeyondTheLimitAreRefusedBusyAndUnsharedContentIsUnknown() throws Exception {
        Path file = Seeders.randomFile(tmp.resolve("seed/p.bin"), 1 << 20, 2);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        EventLoopGroup group = new NioEventLoopGroup(1);
        try (Seeders seeders = new Seeders()) {
            TransferServer server = seeders.start(content, ServerConfig.DEFAULTS.withMaxPeers(1), 3);
            List<Message> first = new CopyOnWriteArrayList<>();
            List<Message> second = new CopyOnWriteArrayList<>();
            Channel a = connect(group, server, first, 4);
            a.writeAndFlush(new Message.GetManifest(content.id()));
            Channel b = connect(group, server, second, 5);
            assertTrue(b.closeFuture().await(5, TimeUnit.SECONDS), "second peer is turned away");
            assertTrue(second.stream().anyMatch(m -> m instanceof Message.Refuse r && r.reason() == Message.Reason.BUSY),
                    "told it is busy: " + second);
            server.registry().unshare(content.id());
            a.writeAndFlush(new Message.GetManifest(content.id()));
            Thread.sleep(300);
            assertTrue(first.stream().anyMatch(m -> m instanceof Message.ManifestData), "first got the manifest: " + first);
            assertTrue(first.stream().anyMatch(m -> m instanceof Message.Refuse r
                    && r.reason() == Message.Reason.UNKNOWN_CONTENT), "unshared content is refused: " + first);
            a.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aDownloaderRefusedAsBusyWaitsForItsTurnAndCompletes() throws Exception {
        long size = 4L << 20;
        Path file = Seeders.randomFile(tmp.resolve("seed/b.bin"), size, 3);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        try (Seeders seeders = new Seeders();
                Downloader first = new Downloader(Identity.generate(new Random(21)), DownloadConfig.DEFAULTS);
                Downloader second = new Downloader(Identity.generate(new Random(22)), DownloadConfig.DEFAULTS)) {
            // one peer at a time, 4 MiB at 2 MiB/s: the first holds the only place for about 2 s
            seeders.start(content, ServerConfig.DEFAULTS.withMaxPeers(1).withUploadRate(2L << 20), 6);
            java.util.concurrent.CompletableFuture<DownloadResult> a = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> download(first, content, seeders, "a"));
            Thread.sleep(300);
            DownloadResult b = download(second, content, seeders, "b");
            assertEquals(-1, Files.mismatch(file, b.path()), "the second got every byte once the first was done");
            assertEquals(-1, Files.mismatch(file, a.get(60, TimeUnit.SECONDS).path()));
            assertTrue(b.elapsedNanos() > 1_000_000_000L, "it waited for the place: " + b.elapsedNanos() / 1e9 + " s");
        }
    }

    private DownloadResult download(Downloader d, SharedContent content, Seeders seeders, String dir) {
        try {
            return d.download(content.id(), seeders.addresses(), tmp.resolve(dir), DownloadListener.NONE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Channel connect(EventLoopGroup group, TransferServer server, List<Message> inbox, long seed)
            throws Exception {
        Identity me = Identity.generate(new Random(seed));
        Channel ch = TestClient.connect(group, server.address(), me, inbox);
        ch.writeAndFlush(new Message.Hello(Message.VERSION, me.nodeId())).sync();
        return ch;
    }
}
