package dev.p2p.transfer.fetch;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.ShareRegistry;
import dev.p2p.transfer.serve.TransferServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test helpers: random files, seeders on 127.0.0.1 serving one content. */
public final class Seeders implements AutoCloseable {
    private final List<TransferServer> servers = new ArrayList<>();

    public TransferServer start(SharedContent content, ServerConfig config, long seed) throws InterruptedException {
        ShareRegistry registry = new ShareRegistry();
        registry.share(content);
        TransferServer s = new TransferServer(Identity.generate(new Random(seed)), registry, config);
        s.start(new InetSocketAddress("127.0.0.1", 0));
        servers.add(s);
        return s;
    }

    public List<PeerAddress> addresses() {
        return servers.stream().map(TransferServer::address).toList();
    }

    public List<TransferServer> servers() {
        return servers;
    }

    public static Path randomFile(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
        return file;
    }

    @Override
    public void close() {
        servers.forEach(TransferServer::close);
    }
}
