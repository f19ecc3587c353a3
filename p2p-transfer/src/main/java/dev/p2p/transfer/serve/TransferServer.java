package dev.p2p.transfer.serve;

import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.TransferEnvironment;
import dev.p2p.transfer.runtime.SystemEnvironment;
import dev.p2p.transfer.wire.PeerTls;
import dev.p2p.transfer.wire.WireCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves shared content to peers over TCP + TLS 1.3. Start with {@link #start}, stop with
 * {@link #close}. What is served is whatever the {@link ShareRegistry} holds, within the limits of
 * {@link ServerConfig}.
 */
public final class TransferServer implements AutoCloseable {
    private final Identity identity;
    private final ShareRegistry registry;
    private final ServerConfig config;
    private final PeerTls tls;
    private final SharedUploadLimits limits;
    private final TransferEnvironment env;
    private final AtomicLong shed = new AtomicLong();
    private final HandshakeGate handshaking;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private InetSocketAddress bound;

    public TransferServer(Identity identity, ShareRegistry registry, ServerConfig config) {
        this(identity, registry, config, SystemEnvironment.INSTANCE);
    }

    /** As above, with the upload rate limit's clock from {@code env}. */
    public TransferServer(Identity identity, ShareRegistry registry, ServerConfig config, TransferEnvironment env) {
        this.env = env;
        this.identity = identity;
        this.registry = registry;
        this.config = config;
        this.tls = new PeerTls(identity);
        this.limits = new SharedUploadLimits(config.maxPeers(), config.uploadBytesPerSecond());
        this.handshaking = new HandshakeGate(config.maxHandshakingPerAddress());
    }

    /** Binds and starts serving; returns the bound address (port 0 picks a free port). */
    public synchronized InetSocketAddress start(InetSocketAddress bindAddress) throws InterruptedException {
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup(config.ioThreads());
        Channel ch = new ServerBootstrap().group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        InetAddress from = c.remoteAddress().getAddress();
                        // Far more connections than peers served, or too many half-open ones from
                        // one address: shed them before any TLS work.
                        if (channels.size() > 2 * config.maxPeers() + 16 || !handshaking.enter(from)) {
                            shed.incrementAndGet();
                            c.close();
                            return;
                        }
                        channels.add(c);
                        SslHandler ssl = tls.serverContext().newHandler(c.alloc());
                        ssl.setHandshakeTimeoutMillis(config.helloTimeoutMillis());
                        c.pipeline().addLast("tls", ssl);
                        WireCodec.install(c.pipeline(), config.frameTimeoutMillis(), config.idleTimeoutMillis(), env::nanoTime);
                        c.pipeline().addLast("upload", new UploadHandler(TransferServer.this, from));
                    }
                })
                .bind(bindAddress).sync().channel();
        channels.add(ch);
        bound = (InetSocketAddress) ch.localAddress();
        return bound;
    }

    /** Where peers reach this server on loopback-or-bound address, with its node id. */
    public PeerAddress address() {
        return new PeerAddress(bound.getAddress().getHostAddress(), bound.getPort(), identity.nodeId());
    }

    public NodeId nodeId() {
        return identity.nodeId();
    }

    public ShareRegistry registry() {
        return registry;
    }

    public ServerConfig config() {
        return config;
    }

    SharedUploadLimits limits() {
        return limits;
    }

    long nanoTime() {
        return env.nanoTime();
    }

    /** The connection from {@code from} said HELLO or closed before it did; call once. */
    void handshakeOver(InetAddress from) {
        handshaking.leave(from);
    }

    /** Chunk payload bytes sent so far. */
    public long bytesUploaded() {
        return limits.bytesUploaded();
    }

    /** Open peer connections, handshaking or not. */
    public int connections() {
        return Math.max(0, channels.size() - 1); // the listening channel is in the group too
    }

    /** Connections that have not said HELLO yet. */
    public int handshaking() {
        return handshaking.size();
    }

    /** Connections closed on arrival, before TLS (too many in all, or from one address). */
    public long connectionsShed() {
        return shed.get();
    }

    @Override
    public synchronized void close() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (boss != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
