package dev.p2p.transfer.fetch;

import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.ProviderSource;
import dev.p2p.transfer.TransferEnvironment;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.runtime.SystemEnvironment;
import dev.p2p.transfer.serve.ShareRegistry;
import dev.p2p.transfer.wire.PeerTls;
import dev.p2p.transfer.wire.WireCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Downloads content from several peers at once over TLS, verifying every chunk, resuming from
 * whatever an earlier run left under {@code <outputDir>/.p2p-partial/}. One Downloader can run
 * several downloads; close it when done to stop its threads.
 */
public final class Downloader implements AutoCloseable {
    private final Identity identity;
    private final DownloadConfig config;
    private final PeerTls tls;
    private final EventLoopGroup group;
    private final TransferEnvironment env;
    private final ShareRegistry registry;

    public Downloader(Identity identity, DownloadConfig config) {
        this(identity, config, null);
    }

    /**
     * @param serveWhileDownloading where downloads in progress are offered to other peers (the
     *     node's server registry), and where finished ones stay shared; null to serve nothing
     */
    public Downloader(Identity identity, DownloadConfig config, ShareRegistry serveWhileDownloading) {
        this(identity, config, serveWhileDownloading, SystemEnvironment.INSTANCE);
    }

    /** As above, taking the time, each download's timer thread and its generator from {@code env}. */
    public Downloader(Identity identity, DownloadConfig config, ShareRegistry serveWhileDownloading, TransferEnvironment env) {
        this.env = env;
        this.registry = serveWhileDownloading;
        this.identity = identity;
        this.config = config;
        this.tls = new PeerTls(identity);
        this.group = new NioEventLoopGroup(config.ioThreads());
    }

    /**
     * Downloads {@code content} from {@code peers} into {@code outputDir}, blocking until the
     * content is complete, verified and published as {@code outputDir/<manifest name>}.
     *
     * @throws DownloadException when it cannot complete (no peers left, unsafe manifest, disk
     *     error); verified chunks stay on disk and the next call resumes from them
     */
    public DownloadResult download(ContentId content, List<PeerAddress> peers, Path outputDir, DownloadListener listener)
            throws DownloadException, InterruptedException {
        DownloadHost host = new DownloadHost(this, content, outputDir, listener, config);
        host.start(peers);
        try {
            return host.result().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DownloadException d) {
                throw d;
            }
            throw new DownloadException("download failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            host.abort("download interrupted");
            throw e;
        }
    }

    /** As above, with peers found through {@code providers} (the DHT, or a share link's hints). */
    public DownloadResult download(ContentId content, ProviderSource providers, Path outputDir, DownloadListener listener)
            throws IOException, InterruptedException {
        return download(content, providers.providers(content), outputDir, listener);
    }

    TransferEnvironment env() {
        return env;
    }

    ShareRegistry registry() {
        return registry;
    }

    NodeId nodeId() {
        return identity.nodeId();
    }

    DownloadConfig config() {
        return config;
    }

    /** The event loop for a new download: its connections and its machine all run there. */
    EventLoop nextLoop() {
        return group.next();
    }

    ChannelFuture connect(PeerAddress address, EventLoop loop, PeerConnection handler) {
        return new Bootstrap().group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast("tls", tls.clientContext().newHandler(c.alloc(), address.host(), address.port()));
                        WireCodec.install(c.pipeline(), config.frameTimeoutMillis(), 0, env::nanoTime);
                        c.pipeline().addLast("download", handler);
                    }
                })
                .connect(new InetSocketAddress(address.host(), address.port()));
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
