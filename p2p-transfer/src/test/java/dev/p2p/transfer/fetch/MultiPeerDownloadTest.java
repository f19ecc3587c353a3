package dev.p2p.transfer.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.TransferServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiPeerDownloadTest {
    @TempDir Path tmp;

    @Test
    void threeSeedersOneDownloader256MiB() throws Exception {
        long size = 256L << 20;
        Path file = Seeders.randomFile(tmp.resolve("seed/big.bin"), size, 1);
        SharedContent content = new Indexer().index(file, (done, total) -> {});
        try (Seeders seeders = new Seeders();
                Downloader downloader = new Downloader(Identity.generate(new Random(9)), DownloadConfig.DEFAULTS)) {
            for (int i = 0; i < 3; i++) {
                seeders.start(content, ServerConfig.DEFAULTS, 100 + i);
            }
            DownloadResult r = downloader.download(content.id(), seeders.addresses(), tmp.resolve("out"), DownloadListener.NONE);
            assertEquals(-1, Files.mismatch(file, r.path()));
            assertEquals(tmp.resolve("out/big.bin").toAbsolutePath(), r.path());
            for (TransferServer s : seeders.servers()) {
                long share = r.verifiedBytesByPeer().getOrDefault(s.nodeId(), 0L);
                assertTrue(share > size / 20, "every seeder sent a share, got " + r.verifiedBytesByPeer());
                assertTrue(s.bytesUploaded() >= share);
            }
            assertTrue(r.receivedBytes() < size * 11 / 10, "little duplicate data: " + r.receivedBytes());
            assertTrue(Files.notExists(tmp.resolve("out/.p2p-partial")));
            System.out.printf("3 seeders: %.1f MB/s, shares %s%n", r.bytesPerSecond() / 1e6, r.verifiedBytesByPeer().values());
        }
    }
}
