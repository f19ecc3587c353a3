package dev.p2p.transfer.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.TransferServer;
import dev.p2p.transfer.wire.Message;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cipher two nodes settle on, over a real connection to a serving node: TLS 1.3 with AES-128-GCM
 * (docs/TRANSFER-PROTOCOL.md, docs/BENCHMARKS-transfer.md: the transfer figures assume it; AES-256
 * costs four more rounds per block on both sides).
 */
class NegotiatedCipherTest {
    @TempDir Path tmp;

    @Test
    void nodesTalkTls13WithAes128Gcm() throws Exception {
        Path file = Seeders.randomFile(tmp.resolve("seed/f.bin"), 1 << 16, 1);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        List<Message> received = new CopyOnWriteArrayList<>();
        EventLoopGroup group = new NioEventLoopGroup(1);
        try (Seeders seeders = new Seeders()) {
            TransferServer server = seeders.start(content, ServerConfig.DEFAULTS, 7);
            Channel ch = TestClient.connect(group, server.address(), Identity.generate(new Random(8)), received);
            SSLSession session = ch.pipeline().get(SslHandler.class).engine().getSession();
            assertEquals("TLSv1.3", session.getProtocol());
            assertEquals("TLS_AES_128_GCM_SHA256", session.getCipherSuite());
            ch.close().sync();
        } finally {
            group.shutdownGracefully().sync();
        }
    }
}
