package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node serves what it is downloading to others while it downloads, and keeps serving it after. */
class SwarmTest {
    @TempDir Path tmp;

    private NodeConfig config(String name) {
        return NodeConfig.defaults(tmp.resolve(name)).withBindHost(InetAddress.getLoopbackAddress());
    }

    @Test
    void aDownloaderServesWhatItHasWhileDownloadingAndAllOfItOnceDone() throws Exception {
        long size = 24L << 20;
        Path file = TestFiles.random(tmp.resolve("seed/song.flac"), size, 3);
        try (Node seed = Node.start(config("seed").withUploadRate(6L << 20));
                Node first = Node.start(config("first"));
                Node second = Node.start(config("second"));
                Node third = Node.start(config("third"))) {
            SharedContent shared = seed.share(file);
            ShareLink fromSeed = new ShareLink(shared.id(), List.of(seed.peerAddress()));
            CountDownLatch quarter = new CountDownLatch(1);
            CompletableFuture<DownloadResult> firstDone = CompletableFuture.supplyAsync(() -> {
                try {
                    return first.get(fromSeed, tmp.resolve("first-out"), Duration.ofSeconds(10), new DownloadListener() {
                        @Override
                        public void onProgress(long verified, long total, int peers) {
                            if (verified > total / 4) {
                                quarter.countDown();
                            }
                        }
                    });
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(quarter.await(30, TimeUnit.SECONDS));
            ShareLink fromBoth = new ShareLink(shared.id(), List.of(seed.peerAddress(), first.peerAddress()));
            DownloadResult r = second.get(fromBoth, tmp.resolve("second-out"));
            assertEquals(-1, Files.mismatch(file, r.path()));
            long fromFirst = r.verifiedBytesByPeer().getOrDefault(first.id(), 0L);
            assertTrue(fromFirst >= size / 8, "the first downloader served part of it: " + r.verifiedBytesByPeer());
            DownloadResult f = firstDone.get(30, TimeUnit.SECONDS);
            assertEquals(-1, Files.mismatch(file, f.path()));

            seed.close();
            DownloadResult t = third.get(new ShareLink(shared.id(), List.of(first.peerAddress())), tmp.resolve("third-out"));
            assertEquals(-1, Files.mismatch(file, t.path()), "the first downloader keeps serving all of it once complete");
        }
    }
}
