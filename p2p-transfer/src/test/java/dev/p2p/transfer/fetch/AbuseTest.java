package dev.p2p.transfer.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.TransferServer;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server under abuse on 127.0.0.1: slow and silent connections, bad frames, request floods.
 * Each test checks that the abuser is dropped, that memory and threads stay bounded, and that an
 * honest downloader is served meanwhile. Figures go to standard output (see docs/ABUSE.md).
 */
class AbuseTest {
    @TempDir Path tmp;

    @Test
    void slowAndSilentConnectionsAreDroppedWhileAnHonestDownloadCompletes() throws Exception {
        long size = 16L << 20;
        Path file = Seeders.randomFile(tmp.resolve("seed/h.bin"), size, 1);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        ServerConfig cfg = ServerConfig.DEFAULTS.withTimeouts(1_500, 4_000, 1_500).withUploadRate(8L << 20);
        try (Seeders seeders = new Seeders(); Downloader d = AdversityTest.downloader()) {
            TransferServer server = seeders.start(content, cfg, 1);
            DownloadResult quiet = d.download(content.id(), seeders.addresses(), tmp.resolve("quiet"), DownloadListener.NONE);
            int threadsBefore = threads(); // every event loop of server and downloader has started
            EventLoopGroup group = new NioEventLoopGroup(1);
            AtomicBoolean attacking = new AtomicBoolean(true);
            AtomicLong rawAttempts = new AtomicLong();
            Thread raw = new Thread(() -> rawFlood(server, attacking, rawAttempts), "slowloris-raw");
            List<Channel> slow = new ArrayList<>();
            long start = System.nanoTime();
            try {
                raw.start();
                for (int i = 0; i < 4; i++) { // TLS done, then silence
                    slow.add(TestClient.connect(group, server.address(), Identity.generate(new Random(100 + i)),
                            new CopyOnWriteArrayList<>(), "127.0.0.3"));
                }
                for (int i = 0; i < 4; i++) { // HELLO, then a REQUEST frame one byte every 250 ms
                    Identity me = Identity.generate(new Random(200 + i));
                    Channel ch = TestClient.connect(group, server.address(), me, new CopyOnWriteArrayList<>(), "127.0.0.4");
                    ch.writeAndFlush(new Message.Hello(Message.VERSION, me.nodeId())).sync();
                    slow.add(ch);
                    ByteBuf frame = MessageCodec.encode(new Message.Request(content.id(), 0), ch.alloc());
                    dribble(ch, ByteBufUtil.getBytes(frame));
                    frame.release();
                }
                Thread.sleep(300);
                DownloadResult r = d.download(content.id(), seeders.addresses(), tmp.resolve("out"), DownloadListener.NONE);
                assertEquals(-1, Files.mismatch(file, r.path()));
                for (Channel ch : slow) {
                    assertTrue(ch.closeFuture().await(4, TimeUnit.SECONDS), "slow connection dropped");
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                attacking.set(false);
                raw.join();
                System.out.printf(Locale.ROOT, "ABUSE slowloris: %d raw connections in %.1f s (%.0f/s) from one address, "
                        + "%d shed before TLS, 4 silent after TLS, 4 dribbling; honest download %.1f MB/s "
                        + "(%.1f MB/s without the attack; cap 8 MiB/s)%n", rawAttempts.get(), seconds,
                        rawAttempts.get() / seconds, server.connectionsShed(), r.bytesPerSecond() / 1e6,
                        quiet.bytesPerSecond() / 1e6);
                assertTrue(server.connectionsShed() > 0, "connections over the per-address limit are shed");
                assertTrue(waitFor(() -> server.connections() == 0, 4_000), "every attacking connection is gone: "
                        + server.connections());
                // The handshake gate is left on the connection's own event loop, a moment after the
                // channel group forgets it: wait for it too rather than race it.
                assertTrue(waitFor(() -> server.handshaking() == 0, 4_000), "half-open connections left: "
                        + server.handshaking());
            } finally {
                attacking.set(false);
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
            // Event loops start their threads lazily: the server's and the downloader's second I/O
            // thread may have started since; nothing else may (no thread per connection).
            assertTrue(waitFor(() -> threads() <= threadsBefore + 2, 3_000), "threads " + threadsBefore + " -> " + threads()
                    + ": " + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList());
        }
    }

    /** Opens plain TCP connections from 127.0.0.2 that never start TLS, keeping up to 200 open. */
    private static void rawFlood(TransferServer server, AtomicBoolean attacking, AtomicLong attempts) {
        ArrayDeque<Socket> open = new ArrayDeque<>();
        try {
            while (attacking.get()) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress("127.0.0.2", 0));
                s.connect(new InetSocketAddress("127.0.0.1", server.address().port()), 1_000);
                attempts.incrementAndGet();
                open.add(s);
                if (open.size() > 200) {
                    open.poll().close();
                }
                Thread.sleep(2);
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        } finally {
            open.forEach(s -> {
                try {
                    s.close();
                } catch (java.io.IOException ignored) {
                    // closing anyway
                }
            });
        }
    }

    private static void dribble(Channel ch, byte[] frame) {
        for (int i = 0; i < frame.length; i++) {
            byte b = frame[i];
            ch.eventLoop().schedule(() -> {
                if (ch.isActive()) {
                    ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {b}));
                }
            }, 250L * i, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void oversizedAndNeverEndingFramesAreDroppedWithoutAllocatingTheAnnouncedSize() throws Exception {
        Path file = Seeders.randomFile(tmp.resolve("seed/f.bin"), 4L << 20, 2);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        ServerConfig cfg = ServerConfig.DEFAULTS.withMaxPeers(100).withTimeouts(5_000, 30_000, 2_000);
        EventLoopGroup group = new NioEventLoopGroup(1);
        try (Seeders seeders = new Seeders(); Downloader d = AdversityTest.downloader()) {
            TransferServer server = seeders.start(content, cfg, 2);
            List<Message> inbox = new CopyOnWriteArrayList<>();
            Channel huge = hello(group, server, inbox, 1);
            long t0 = System.nanoTime();
            huge.writeAndFlush(Unpooled.buffer().writeInt(0x7FFF_FFF0).writeZero(16)).sync();
            assertTrue(huge.closeFuture().await(2, TimeUnit.SECONDS), "oversized frame closes the connection");
            long closedMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(closedMillis < 1_500, "closed on the length, not by a timeout: " + closedMillis + " ms");
            assertTrue(inbox.stream().allMatch(m -> m instanceof Message.Hello), "nothing but HELLO: " + inbox);

            int n = 64;
            List<Channel> open = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                open.add(hello(group, server, new CopyOnWriteArrayList<>(), 10 + i));
            }
            Thread.sleep(200);
            long before = pooledBytes();
            for (Channel ch : open) { // announce a maximal frame, send 100 bytes of it, never the rest
                ch.writeAndFlush(Unpooled.buffer().writeInt(MessageCodec.MAX_FRAME).writeByte(MessageCodec.CHUNK)
                        .writeZero(99));
            }
            Thread.sleep(500);
            long grown = pooledBytes() - before;
            System.out.printf(Locale.ROOT, "ABUSE frames: 2 GiB length refused in %d ms; %d never-ending 1 MiB frames "
                    + "grew the pooled buffers by %.1f MiB%n", closedMillis, n, grown / 1048576.0);
            assertTrue(grown < (16L << 20), "announced " + n + " MiB, buffers grew by " + grown);
            for (Channel ch : open) {
                assertTrue(ch.closeFuture().await(4, TimeUnit.SECONDS), "unfinished frame dropped after its deadline");
            }
            assertTrue(waitFor(() -> server.connections() == 0, 2_000), "connections left: " + server.connections());
            DownloadResult r = d.download(content.id(), seeders.addresses(), tmp.resolve("out"), DownloadListener.NONE);
            assertEquals(-1, Files.mismatch(file, r.path()), "the server still serves");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void requestFloodsAreRefusedAndDroppedWhileOthersAreServed() throws Exception {
        long size = 16L << 20;
        Path file = Seeders.randomFile(tmp.resolve("seed/q.bin"), size, 3);
        SharedContent content = new Indexer(16 * 1024).index(file, (d, t) -> {}); // 1024 chunks: 32 KiB hash page
        ContentId id = content.id();
        int chunks = content.layout().totalChunks();
        EventLoopGroup group = new NioEventLoopGroup(1);
        try (Seeders seeders = new Seeders(); Downloader d = AdversityTest.downloader()) {
            TransferServer server = seeders.start(content, ServerConfig.DEFAULTS.withUploadRate(32L << 20), 3);
            DownloadResult quiet = d.download(id, seeders.addresses(), tmp.resolve("quiet"), DownloadListener.NONE);
            List<Message> readerInbox = new CopyOnWriteArrayList<>();
            Channel reader = hello(group, server, readerInbox, 1); // floods, reads the answers
            Channel deaf = hello(group, server, new CopyOnWriteArrayList<>(), 2); // floods, never reads
            deaf.config().setAutoRead(false);
            long baseline = pooledBytes();
            AtomicLong peak = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    peak.accumulateAndGet(pooledBytes() - baseline, Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            CompletableFuture<DownloadResult> honest = CompletableFuture.supplyAsync(() -> {
                try {
                    return d.download(id, seeders.addresses(), tmp.resolve("out"), DownloadListener.NONE);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            int asks = 20_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < asks; i++) {
                reader.write(new Message.Request(id, i % chunks), reader.voidPromise());
                deaf.write(new Message.GetHashes(id, 0, 0, chunks), deaf.voidPromise());
            }
            reader.flush();
            deaf.flush();
            double floodSeconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(reader.closeFuture().await(10, TimeUnit.SECONDS), "the request flooder is dropped");
            DownloadResult r = honest.get(60, TimeUnit.SECONDS);
            sampling.set(false);
            sampler.join();
            assertEquals(-1, Files.mismatch(file, r.path()));
            long refused = readerInbox.stream().filter(m -> m instanceof Message.Refuse f
                    && f.reason() == Message.Reason.TOO_MANY_REQUESTS).count();
            long served = readerInbox.stream().filter(m -> m instanceof Message.ChunkData).count();
            System.out.printf(Locale.ROOT, "ABUSE flood: 2 x %d asks in %.2f s (%.0f/s each); the reader got %d chunks "
                    + "and %d refusals before being dropped; pooled buffers peaked %.1f MiB over the start; "
                    + "honest download %.1f MB/s (%.1f MB/s without the flood; cap 32 MiB/s)%n", asks, floodSeconds,
                    asks / floodSeconds, served, refused, peak.get() / 1048576.0, r.bytesPerSecond() / 1e6,
                    quiet.bytesPerSecond() / 1e6);
            // Refusals queued behind chunks in a full output buffer are lost when it is closed.
            assertTrue(refused <= 64, "refused " + refused);
            assertTrue(peak.get() < (64L << 20), "deaf flooder's 20000 hash pages (640 MiB) were not buffered: "
                    + peak.get());
            assertTrue(waitFor(() -> server.connections() == 0 || !deaf.isActive(), 5_000) || server.connections() <= 1,
                    "flooders gone");
            deaf.close();
            d.close(); // the honest downloader keeps its connection for a next download: let it go too
            assertTrue(waitFor(() -> server.connections() == 0, 5_000), "connections left: " + server.connections());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static Channel hello(EventLoopGroup group, TransferServer server, List<Message> inbox, long seed) throws Exception {
        Identity me = Identity.generate(new Random(seed));
        Channel ch = TestClient.connect(group, server.address(), me, inbox);
        ch.writeAndFlush(new Message.Hello(Message.VERSION, me.nodeId())).sync();
        return ch;
    }

    static long pooledBytes() {
        var m = PooledByteBufAllocator.DEFAULT.metric();
        return m.usedHeapMemory() + m.usedDirectMemory();
    }

    static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    static boolean waitFor(BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
