package dev.p2p.transfer.host;

import dev.p2p.dht.Cancellable;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.TransferEnvironment;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadException;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.fetch.ForwardingListener;
import dev.p2p.transfer.serve.ServedContent;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.ShareRegistry;
import dev.p2p.transfer.session.DownloadObserver;
import dev.p2p.transfer.session.Servable;
import dev.p2p.transfer.session.TransferCore;
import dev.p2p.transfer.session.TransferLimits;
import dev.p2p.transfer.session.TransferWorld;
import dev.p2p.transfer.store.PartialDownload;
import dev.p2p.transfer.wire.ByteBufPayload;
import dev.p2p.transfer.wire.ChunkPayload;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.PeerTls;
import dev.p2p.transfer.wire.WireCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A node's transfer side in production: one {@link TransferCore} on one Netty event loop, which
 * also carries every transfer connection (accepted and dialled, TCP + TLS 1.3) and the core's
 * timers; disk work runs in order on a thread of its own, and so do hashing arriving chunks and
 * flushing written files to the disk.
 * It carries out what the core asks and hands back what happened, and holds no protocol
 * decisions. Methods may be called from any thread: they hop onto the loop.
 */
public final class TransferHost implements TransferWorld, AutoCloseable {
    private final Identity identity;
    private final ShareRegistry registry;
    private final ServerConfig serverConfig;
    private final DownloadConfig downloadConfig;
    private final TransferEnvironment env;
    private final PeerTls tls;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final ScheduledExecutorService disk;
    private final ScheduledExecutorService hasher;
    private final ScheduledExecutorService flusher;
    private final TransferCore core;
    private final HandshakeGate handshaking;
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong admitted = new AtomicLong();
    private final Map<Long, Channel> channels = new HashMap<>(); // loop only
    private final Set<Long> accepted = new HashSet<>(); // loop only
    private final Map<Long, InetAddress> unintroduced = new HashMap<>(); // loop only: accepted, no HELLO yet
    private final Map<Long, Channel> unflushed = new LinkedHashMap<>(); // loop only: written, not flushed
    private final ArrayDeque<Runnable> inputs = new ArrayDeque<>(); // loop only
    private final Map<ContentId, Target> targets = new ConcurrentHashMap<>();
    private boolean inCore; // loop only
    private long lastConnection; // loop only
    private EventLoopGroup acceptor;
    private volatile InetSocketAddress bound;
    private volatile Door door; // a second service on the transfer port, when one is open
    private volatile BiConsumer<InetSocketAddress, InetSocketAddress> tlsFailures = (from, to) -> { };
    private volatile int connectionCount;

    /**
     * Socket reads of up to 1 MiB when chunks arrive fast (Netty's default stops at 64 KiB). A
     * TLS record split between two reads is copied into a new heap buffer before it is decrypted
     * (SslHandler over the composite cumulation): with 64 KiB reads that was every third record,
     * over half of a downloading node's allocations, a young collection every 0.4 s.
     */
    private static final AdaptiveRecvByteBufAllocator CHUNK_READS = new AdaptiveRecvByteBufAllocator(512, 64 * 1024, 1 << 20);

    /** Where a download goes, its store once open, and its serving while it runs (disk thread after start). */
    private static final class Target {
        final Path outputDir;
        final Seeding seeding;
        PartialDownload store;
        ChunkLayout layout;
        byte[] leaves;

        Target(Path outputDir, Seeding seeding) {
            this.outputDir = outputDir;
            this.seeding = seeding;
        }
    }

    /**
     * @param registry what the node serves; downloads in progress are added while they run and stay once complete
     */
    public TransferHost(Identity identity, ShareRegistry registry, ServerConfig serverConfig, DownloadConfig downloadConfig,
            TransferEnvironment env) {
        this.identity = identity;
        this.registry = registry;
        this.serverConfig = serverConfig;
        this.downloadConfig = downloadConfig;
        this.env = env;
        this.tls = new PeerTls(identity);
        this.group = new NioEventLoopGroup(1);
        this.loop = group.next();
        this.disk = env.newTimer("transfer-disk");
        this.hasher = env.newTimer("transfer-hash");
        this.flusher = env.newTimer("transfer-flush");
        this.handshaking = new HandshakeGate(serverConfig.maxHandshakingPerAddress());
        this.core = new TransferCore(identity.nodeId(), this,
                downloadConfig, new TransferLimits(serverConfig.maxPeers(), serverConfig.uploadBytesPerSecond(),
                        downloadConfig.rateBytesPerSecond()),
                serverConfig.maxQueuedRequests(), serverConfig.helloTimeoutMillis() * 1_000_000L);
    }

    // ---- the API, from any thread

    /** Accepts connections on {@code bind} (port 0 picks a free port); returns the bound address. */
    public InetSocketAddress listen(InetSocketAddress bind) throws InterruptedException {
        acceptor = new NioEventLoopGroup(1);
        Channel server = new ServerBootstrap().group(acceptor, loop)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, CHUNK_READS) // a peer we download from may dial us
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        Door d = door;
                        if (d == null) {
                            accepted(c);
                        } else {
                            c.pipeline().addLast("door", d.sniffer(ch -> accepted((SocketChannel) ch), serverConfig.helloTimeoutMillis()));
                        }
                    }
                })
                .bind(bind).sync().channel();
        bound = (InetSocketAddress) server.localAddress();
        return bound;
    }

    /**
     * From now on, accepted connections whose first bytes are {@code magic} are spliced to the
     * local service at {@code to} instead of speaking TLS and the transfer protocol ({@link Door}).
     */
    public void openDoor(byte[] magic, InetSocketAddress to) {
        door = new Door(magic, to);
    }

    /**
     * Hears {@code (from, to)}, this end's and the far end's address, of every dialled connection
     * whose TLS failed: its handshake, or a record that did not authenticate (bytes changed or cut
     * on the way, or a peer that is not who it should be). Whoever carries connections over other
     * paths (a relay) learns which path broke. Called on the transfer loop: keep it quick.
     */
    public void onTlsFailure(BiConsumer<InetSocketAddress, InetSocketAddress> listener) {
        tlsFailures = listener;
    }

    /** A dialled connection's TLS failed. */
    void tlsFailed(InetSocketAddress from, InetSocketAddress to) {
        tlsFailures.accept(from, to);
    }

    /** The address {@link #listen} bound, with this node's id. */
    public PeerAddress address() {
        return new PeerAddress(bound.getAddress().getHostAddress(), bound.getPort(), identity.nodeId());
    }

    public NodeId nodeId() {
        return identity.nodeId();
    }

    public ShareRegistry registry() {
        return registry;
    }

    public ServerConfig serverConfig() {
        return serverConfig;
    }

    /**
     * Downloads {@code content} from {@code peers} (more may follow with {@link #addPeers}) into
     * {@code outputDir}; the future completes once the content is complete, verified and published
     * as {@code outputDir/<name>}, or fails with a {@link DownloadException}.
     */
    public CompletableFuture<DownloadResult> download(ContentId content, List<PeerAddress> peers, Path outputDir,
            DownloadListener listener) {
        CompletableFuture<DownloadResult> result = new CompletableFuture<>();
        if (!prepare(content, outputDir)) {
            result.completeExceptionally(new DownloadException("this content is already being downloaded by this node"));
            return result;
        }
        post(() -> core.download(content, peers, new Observer(content, listener, result)));
        return result;
    }

    /**
     * Makes ready for a download of {@code content} into {@code outputDir} that the core will start
     * (a caller driving the core itself); false if one of that content is under way here.
     */
    public boolean prepare(ContentId content, Path outputDir) {
        return targets.putIfAbsent(content, new Target(outputDir, new Seeding(registry))) == null;
    }

    /**
     * Ends a download of {@code content}: once the disk work asked before is done (its store is
     * closed by then), forgets it, so the same content can be fetched again, and completes
     * {@code future} with {@code result}, or with {@code error} when that is not null.
     */
    public void settle(ContentId content, CompletableFuture<DownloadResult> future, DownloadResult result, Throwable error) {
        disk.execute(() -> {
            targets.remove(content);
            if (error == null) {
                future.complete(result);
            } else {
                future.completeExceptionally(error);
            }
        });
    }

    public void addPeers(ContentId content, List<PeerAddress> peers) {
        post(() -> core.addPeers(content, peers));
    }

    /** Ends a download now; verified chunks stay on disk for a resume. */
    public void abort(ContentId content, String reason) {
        post(() -> core.abort(content, reason));
    }

    /** Runs {@code input} on the core's thread, for a caller that drives the core itself. */
    public void post(Runnable input) {
        loop.execute(() -> input(input));
    }

    public TransferCore core() {
        return core;
    }

    /** The node's limits now. */
    public TransferLimits.Settings limits() {
        return call(() -> core.limits().settings());
    }

    /** Changes the node's limits from now on. */
    public void setLimits(TransferLimits.Settings settings) {
        call(() -> {
            core.limits().apply(settings);
            return null;
        });
    }

    /** Chunk payload bytes sent so far. */
    public long bytesUploaded() {
        return call(() -> core.limits().bytesUploaded());
    }

    /** Chunk payload bytes of each of {@code contents} sent so far, in the same order. */
    public long[] bytesUploaded(List<ContentId> contents) {
        return call(() -> contents.stream().mapToLong(c -> core.limits().bytesUploaded(c)).toArray());
    }

    /** Open connections, handshaking or not, accepted or dialled. */
    public int connections() {
        return connectionCount;
    }

    /** Accepted connections that have not said HELLO yet. */
    public int handshaking() {
        return handshaking.size();
    }

    /** Connections closed on arrival, before TLS (too many in all, or from one address). */
    public long connectionsShed() {
        return shed.get();
    }

    /** Connections accepted since the start, not counting those shed on arrival. */
    public long connectionsAccepted() {
        return admitted.get();
    }

    /** Connections that completed downloads left open for the next download from their peers. */
    public int keptConnections() {
        return call(core::keptConnections);
    }

    /** {@code read} on the core's thread, for a caller on another thread; waits up to 5 s. */
    public <T> T call(Supplier<T> read) {
        try {
            return CompletableFuture.supplyAsync(read, loop).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the transfer loop did not answer", e);
        }
    }

    @Override
    public void close() {
        if (acceptor != null) {
            acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        disk.shutdown();
        hasher.shutdown();
        flusher.shutdown();
    }

    /** Where arriving chunks are hashed, off the loop ({@link OrderedHashing}). */
    java.util.concurrent.Executor hasher() {
        return hasher;
    }

    // ---- inputs, on the loop: never into the core from inside a call it made

    void input(Runnable input) {
        if (inCore) {
            inputs.add(input);
            return;
        }
        inCore = true;
        try {
            input.run();
            for (Runnable next = inputs.poll(); next != null; next = inputs.poll()) {
                next.run();
            }
        } finally {
            inCore = false;
        }
        flushAndOfferMore();
    }

    /**
     * Flushes what the core wrote; an accepted connection that can still take more is told so
     * (a new turn of answers). Flushing may report writability at once, as a nested input.
     */
    private void flushAndOfferMore() {
        while (!unflushed.isEmpty()) {
            List<Long> written = new ArrayList<>(unflushed.keySet());
            List<Channel> flush = new ArrayList<>(unflushed.values());
            unflushed.clear();
            flush.forEach(Channel::flush);
            for (int i = 0; i < written.size(); i++) {
                long id = written.get(i);
                if (!accepted.contains(id) || !flush.get(i).isWritable()) {
                    continue;
                }
                input(() -> core.onWritable(id, true));
            }
        }
    }

    private void accepted(SocketChannel c) {
        InetAddress from = c.remoteAddress().getAddress();
        // Far more connections than peers served, or too many half-open ones from one address:
        // shed them before any TLS work.
        if (channels.size() > 2 * serverConfig.maxPeers() + 16 || !handshaking.enter(from)) {
            shed.incrementAndGet();
            c.close();
            return;
        }
        long id = ++lastConnection;
        admitted.incrementAndGet();
        channels.put(id, c);
        accepted.add(id);
        unintroduced.put(id, from);
        connectionCount = channels.size();
        SslHandler ssl = withoutMerging(tls.serverContext().newHandler(c.alloc()));
        ssl.setHandshakeTimeoutMillis(serverConfig.helloTimeoutMillis());
        c.pipeline().addLast("tls", ssl);
        WireCodec.install(c.pipeline(), serverConfig.frameTimeoutMillis(), serverConfig.idleTimeoutMillis(), env::nanoTime);
        c.pipeline().addLast("core", new CoreChannel(this, id, true));
    }

    /**
     * Received TLS bytes are kept as the buffers socket reads filled, not merged into one: only a
     * record split between two reads is copied before it is decrypted, where merging copied every
     * byte once. Each written buffer is sealed whole (wrap size 0): a chunk frame, one buffer
     * ({@code ServedContent.HEADROOM}), becomes its 17 records in one output buffer and one
     * write, where slicing it into 16 KiB pieces made a promise, a buffer and a write per record
     * and copied the pieces that straddled two buffers.
     */
    private static SslHandler withoutMerging(SslHandler ssl) {
        ssl.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
        ssl.setWrapDataSize(0);
        return ssl;
    }

    /** The channel of {@code id} closed (after it was active). */
    void closed(long id, String reason) {
        Channel c = channels.remove(id);
        if (c == null) {
            return;
        }
        connectionCount = channels.size();
        accepted.remove(id);
        introduced(id);
        input(() -> core.onClosed(id, reason));
    }

    // ---- TransferWorld, called by the core on the loop

    @Override
    public long nanoTime() {
        return env.nanoTime();
    }

    @Override
    public Random newRandom() {
        return env.newRandom();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        io.netty.util.concurrent.ScheduledFuture<?> f = loop.schedule(() -> input(task), delayNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public long dial(PeerAddress peer) {
        long id = ++lastConnection;
        ChannelFuture connecting = new Bootstrap().group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, downloadConfig.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, CHUNK_READS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast("tls", withoutMerging(tls.clientContext().newHandler(c.alloc(), peer.host(), peer.port())));
                        WireCodec.install(c.pipeline(), downloadConfig.frameTimeoutMillis(), 0, env::nanoTime);
                        c.pipeline().addLast("core", new CoreChannel(TransferHost.this, id, false));
                    }
                })
                .connect(new InetSocketAddress(peer.host(), peer.port()));
        channels.put(id, connecting.channel());
        connectionCount = channels.size();
        connecting.addListener(f -> {
            if (!f.isSuccess() && channels.remove(id) != null) {
                connectionCount = channels.size();
                input(() -> core.onConnectFailed(id, "cannot connect to " + peer.host() + ":" + peer.port()
                        + " (" + f.cause().getMessage() + ")"));
            }
        });
        return id;
    }

    @Override
    public void send(long connection, Message message) {
        Channel c = channels.get(connection);
        if (c == null) {
            if (message instanceof Message.ChunkData d) {
                d.data().release();
            }
            return;
        }
        c.write(message, c.voidPromise());
        unflushed.put(connection, c);
        if (!c.isWritable() && accepted.contains(connection)) {
            // Netty reports the change only later, after the rest of this read's messages: say it now.
            input(() -> core.onWritable(connection, false));
        }
    }

    @Override
    public void close(long connection) {
        Channel c = channels.get(connection);
        if (c != null) {
            c.flush(); // a refusal goes out before the close
            c.close();
        }
    }

    @Override
    public void introduced(long connection) {
        InetAddress from = unintroduced.remove(connection);
        if (from != null) {
            handshaking.leave(from);
        }
    }

    @Override
    public Servable servable(ContentId id) {
        return registry.servable(id);
    }

    @Override
    public void read(long connection, Servable content, Message.Request request) {
        ServedContent served = (ServedContent) content;
        Channel c = channels.get(connection);
        ByteBuf data = c == null ? null : served.read(request.chunk(), c.alloc());
        if (data != null) {
            serverConfig.tamper().tamper(request.chunk(), data);
        }
        ChunkPayload payload = data == null ? null : new ByteBufPayload(data);
        boolean stale = !served.isServable();
        input(() -> core.onChunkRead(connection, request, payload, stale));
    }

    @Override
    public void openStore(ContentId id, ChunkLayout layout, byte[] manifestBytes, byte[] leaves, Selection selection) {
        Target t = targets.get(id);
        disk.execute(() -> {
            try {
                t.store = PartialDownload.open(t.outputDir, id, layout, leaves, selection);
                t.layout = layout;
                t.leaves = leaves;
                t.seeding.started(id, manifestBytes, layout, leaves, t.store, selection.all());
                java.util.BitSet verified = t.store.verified();
                post(() -> core.onStoreOpened(id, verified));
            } catch (java.io.IOException | RuntimeException e) {
                diskFailed(id, "cannot prepare the download in " + t.outputDir + ": " + e.getMessage());
            }
        });
    }

    @Override
    public void write(ContentId id, int chunk, ChunkPayload data) {
        Target t = targets.get(id);
        disk.execute(() -> {
            try {
                t.store.write(chunk, ByteBufPayload.nioBuffers(data));
                post(() -> core.onWritten(id, chunk));
                if (t.store.claimFlush()) {
                    flusher.execute(() -> flush(t.store));
                }
            } catch (java.io.IOException e) {
                diskFailed(id, "cannot write to " + t.outputDir + ": " + e.getMessage());
            } finally {
                data.release();
            }
        });
    }

    @Override
    public void commit(ContentId id) {
        Target t = targets.get(id);
        disk.execute(() -> {
            try {
                List<Integer> chunks = t.store.commit();
                post(() -> core.onCommitted(id, chunks));
            } catch (java.io.IOException e) {
                diskFailed(id, "cannot record progress in " + t.outputDir + ": " + e.getMessage());
            }
        });
    }

    @Override
    public void publish(ContentId id) {
        Target t = targets.get(id);
        disk.execute(() -> {
            try {
                Path path = t.store.finish();
                t.seeding.finished(t.layout, path, t.leaves);
                post(() -> core.onPublished(id, path));
            } catch (java.io.IOException | RuntimeException e) {
                diskFailed(id, "cannot publish the download: " + e.getMessage());
            }
        });
    }

    @Override
    public void abandon(ContentId id) {
        Target t = targets.get(id);
        disk.execute(() -> {
            t.seeding.stopped();
            if (t.store != null) {
                try {
                    t.store.commit();
                    t.store.close();
                } catch (java.io.IOException e) {
                    // the error that ended the download is the one reported
                }
            }
        });
    }

    /** A claimed flush beside the writes ({@link PartialDownload#flushWritten}); a failure shows again where it counts, at publish. */
    private static void flush(PartialDownload store) {
        try {
            store.flushWritten();
        } catch (java.io.IOException e) {
            // publish forces every file and reports what fails there
        }
    }

    private void diskFailed(ContentId id, String reason) {
        post(() -> core.onDiskFailed(id, reason));
    }

    /** Reports a download's end once the disk work asked before it is done (its store is closed by then). */
    private final class Observer extends ForwardingListener implements DownloadObserver {
        private final ContentId content;
        private final CompletableFuture<DownloadResult> result;

        Observer(ContentId content, DownloadListener listener, CompletableFuture<DownloadResult> result) {
            super(listener);
            this.content = content;
            this.result = result;
        }

        @Override
        public void completed(DownloadResult r) {
            settle(content, result, r, null);
        }

        @Override
        public void failed(String reason) {
            settle(content, result, null, new DownloadException(reason));
        }
    }
}
