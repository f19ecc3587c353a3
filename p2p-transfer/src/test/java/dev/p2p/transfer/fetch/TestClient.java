package dev.p2p.transfer.fetch;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageHandler;
import dev.p2p.transfer.wire.PeerTls;
import dev.p2p.transfer.wire.WireCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.List;

/** A raw protocol client for tests: real TLS and framing, every received message put in an inbox. */
final class TestClient {
    private TestClient() {}

    /** Connects as {@code me} and completes the TLS handshake; sends nothing yet. */
    static Channel connect(EventLoopGroup group, PeerAddress server, Identity me, List<Message> inbox) throws Exception {
        return connect(group, server, me, inbox, "127.0.0.1");
    }

    /** As above, from local address {@code fromHost} (any 127.x.y.z works on Linux loopback). */
    static Channel connect(EventLoopGroup group, PeerAddress server, Identity me, List<Message> inbox, String fromHost)
            throws Exception {
        PeerTls tls = new PeerTls(me);
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(tls.clientContext().newHandler(c.alloc()));
                        WireCodec.install(c.pipeline());
                        c.pipeline().addLast(new MessageHandler() {
                            @Override
                            protected void handle(ChannelHandlerContext ctx, Message m) {
                                inbox.add(m);
                            }
                        });
                    }
                }).connect(new InetSocketAddress(server.host(), server.port()), new InetSocketAddress(fromHost, 0))
                .sync().channel();
        ch.pipeline().get(SslHandler.class).handshakeFuture().sync();
        return ch;
    }
}
