package dev.p2p.transfer.fetch;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageHandler;
import dev.p2p.transfer.wire.PeerTls;
import dev.p2p.transfer.wire.WireCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** A scripted peer speaking the real TLS and framing, answering as a test tells it to. */
final class FakePeer implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;
    private final Identity identity;
    private final AtomicInteger disconnects = new AtomicInteger();

    /** @param script called for every message after the hello, with the channel to answer on */
    FakePeer(Identity identity, Message.Hello hello, BiConsumer<Channel, Message> script) throws InterruptedException {
        this.identity = identity;
        PeerTls tls = new PeerTls(identity);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(tls.serverContext().newHandler(c.alloc()));
                        WireCodec.install(c.pipeline());
                        c.pipeline().addLast(new MessageHandler() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.pipeline().get(SslHandler.class).handshakeFuture()
                                        .addListener(f -> ctx.writeAndFlush(hello));
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                disconnects.incrementAndGet();
                                ctx.fireChannelInactive();
                            }

                            @Override
                            protected void handle(ChannelHandlerContext ctx, Message msg) {
                                script.accept(ctx.channel(), msg);
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** Connections to this peer that have ended (closed by either side). */
    int disconnects() {
        return disconnects.get();
    }

    PeerAddress address() {
        return new PeerAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort(), identity.nodeId());
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
