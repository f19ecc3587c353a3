package dev.p2p.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.serve.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferNodeTest {
    @TempDir Path tmp;

    @Test
    void shareGivesALinkAnotherNodeCanGet() throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "shared in place\n".repeat(50_000));
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        try (TransferNode alice = TransferNode.start(Identity.generate(new Random(1)), loopback, null,
                        ServerConfig.DEFAULTS, DownloadConfig.DEFAULTS);
                TransferNode bob = TransferNode.start(Identity.generate(new Random(2)), loopback, null,
                        ServerConfig.DEFAULTS, DownloadConfig.DEFAULTS)) {
            SharedContent shared = alice.share(file, (done, total) -> {});
            String link = alice.link(shared.id()).format();
            DownloadResult r = bob.get(ShareLink.parse(link), ProviderSource.fixed(List.of()), tmp.resolve("bob"),
                    DownloadListener.NONE);
            assertEquals(-1, Files.mismatch(file, r.path()));
            assertEquals(Files.size(file), alice.bytesUploaded());
        }
    }
}
