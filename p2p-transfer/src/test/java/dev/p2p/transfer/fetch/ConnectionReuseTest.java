package dev.p2p.transfer.fetch;

import static dev.p2p.transfer.fetch.AbuseTest.waitFor;
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

/**
 * Over real TLS connections on 127.0.0.1: a node's second download from the same seeders runs on
 * the connections its first one left open, with no new handshake, and a seeder that went away
 * in between is dialled afresh.
 */
class ConnectionReuseTest {
    @TempDir Path tmp;

    @Test
    void theNextDownloadFromTheSameSeedersRunsOnTheConnectionsTheFirstKept() throws Exception {
        Path a = Seeders.randomFile(tmp.resolve("seed/a.bin"), 8L << 20, 1);
        Path b = Seeders.randomFile(tmp.resolve("seed/b.bin"), 8L << 20, 2);
        SharedContent first = new Indexer().index(a, (done, total) -> {});
        SharedContent second = new Indexer().index(b, (done, total) -> {});
        try (Seeders seeders = new Seeders();
                Downloader downloader = new Downloader(Identity.generate(new Random(7)), DownloadConfig.DEFAULTS)) {
            for (int i = 0; i < 2; i++) {
                seeders.start(first, ServerConfig.DEFAULTS, 40 + i).registry().share(second);
            }
            DownloadResult r1 = downloader.download(first.id(), seeders.addresses(), tmp.resolve("out1"), DownloadListener.NONE);
            assertEquals(2, downloader.keptConnections(), "both connections are kept after the download");

            DownloadResult r2 = downloader.download(second.id(), seeders.addresses(), tmp.resolve("out2"), DownloadListener.NONE);

            assertEquals(-1, Files.mismatch(a, r1.path()));
            assertEquals(-1, Files.mismatch(b, r2.path()));
            for (TransferServer s : seeders.servers()) {
                assertEquals(1, s.connectionsAccepted(), "one TLS connection per seeder served both downloads");
                assertEquals(1, s.connections());
            }
            assertEquals(2, downloader.keptConnections());
        }
    }

    @Test
    void aSeederThatRestartedBetweenDownloadsIsDialledAgain() throws Exception {
        Path a = Seeders.randomFile(tmp.resolve("seed/a.bin"), 4L << 20, 3);
        SharedContent content = new Indexer().index(a, (done, total) -> {});
        try (Downloader downloader = new Downloader(Identity.generate(new Random(8)), DownloadConfig.DEFAULTS)) {
            try (Seeders before = new Seeders()) {
                before.start(content, ServerConfig.DEFAULTS, 50);
                downloader.download(content.id(), before.addresses(), tmp.resolve("out1"), DownloadListener.NONE);
                assertEquals(1, downloader.keptConnections());
            }
            assertTrue(waitFor(() -> downloader.keptConnections() == 0, 5_000), "the closed connection is let go");
            try (Seeders after = new Seeders()) {
                TransferServer s = after.start(content, ServerConfig.DEFAULTS, 50); // same node, new process and port
                DownloadResult r = downloader.download(content.id(), after.addresses(), tmp.resolve("out2"), DownloadListener.NONE);
                assertEquals(-1, Files.mismatch(a, r.path()));
                assertEquals(1, s.connectionsAccepted());
            }
        }
    }
}
