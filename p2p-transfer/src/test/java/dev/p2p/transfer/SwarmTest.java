package dev.p2p.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.fetch.Seeders;
import dev.p2p.transfer.serve.CompleteContent;
import dev.p2p.transfer.serve.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node serves what it is downloading to others while it downloads, and keeps serving it after. */
class SwarmTest {
    @TempDir Path tmp;

    @Test
    void secondDownloaderGetsChunksFromTheFirstWhileItIsStillDownloading() throws Exception {
        long size = 24L << 20;
        Path file = Seeders.randomFile(tmp.resolve("seed/song.flac"), size, 3);
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        ServerConfig slow = ServerConfig.DEFAULTS.withUploadRate(6L << 20);
        try (TransferNode seed = TransferNode.start(Identity.generate(new Random(1)), loopback, null, slow, DownloadConfig.DEFAULTS);
                TransferNode first = TransferNode.start(Identity.generate(new Random(2)), loopback, null,
                        ServerConfig.DEFAULTS, DownloadConfig.DEFAULTS);
                TransferNode second = TransferNode.start(Identity.generate(new Random(3)), loopback, null,
                        ServerConfig.DEFAULTS, DownloadConfig.DEFAULTS)) {
            SharedContent shared = seed.share(file, (d, t) -> {});
            ShareLink link = seed.link(shared.id());
            CountDownLatch quarter = new CountDownLatch(1);
            CompletableFuture<DownloadResult> firstDone = CompletableFuture.supplyAsync(() -> {
                try {
                    return first.get(link, ProviderSource.fixed(List.of()), tmp.resolve("first"), new DownloadListener() {
                        @Override
                        public void onProgress(long verified, long total, int peers) {
                            if (verified > total / 4) {
                                quarter.countDown();
                            }
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(quarter.await(30, TimeUnit.SECONDS));
            DownloadResult r = second.get(link, ProviderSource.fixed(List.of(first.address())), tmp.resolve("second"),
                    DownloadListener.NONE);
            assertEquals(-1, Files.mismatch(file, r.path()));
            long fromFirst = r.verifiedBytesByPeer().getOrDefault(first.address().nodeId(), 0L);
            assertTrue(fromFirst >= size / 8, "the first downloader served part of it: " + r.verifiedBytesByPeer());
            DownloadResult f = firstDone.get(30, TimeUnit.SECONDS);
            assertEquals(-1, Files.mismatch(file, f.path()));
            assertInstanceOf(CompleteContent.class, first.registry().servable(shared.id()), "kept shared once complete");
        }
    }
}
