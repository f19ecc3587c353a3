package dev.p2p.transfer.bench;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.wire.PeerTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/** The TLS loopback limit: one TLS 1.3 stream over 127.0.0.1 with the peers' own TLS setup, no files, no hashing. */
final class TlsLoopback {
    private TlsLoopback() {}

    /** Bytes per second copying {@code total} bytes from a server to a client over TLS. */
    static double measure(long total) throws Exception {
        PeerTls serverTls = new PeerTls(Identity.generate(new Random(1)));
        PeerTls clientTls = new PeerTls(Identity.generate(new Random(2)));
        ByteBuf block = Unpooled.buffer(256 * 1024).writeZero(256 * 1024);
        EventLoopGroup group = new NioEventLoopGroup(2);
        CountDownLatch done = new CountDownLatch(1);
        long[] times = new long[2];
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(serverTls.serverContext().newHandler(c.alloc()));
                            c.pipeline().addLast(new Sender(block, total));
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(clientTls.clientContext().newHandler(c.alloc()));
                            c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                long got;

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    if (got == 0) {
                                        times[0] = System.nanoTime();
                                    }
                                    got += ((ByteBuf) msg).readableBytes();
                                    ((ByteBuf) msg).release();
                                    if (got >= total) {
                                        times[1] = System.nanoTime();
                                        done.countDown();
                                        ctx.close();
                                    }
                                }
                            });
                        }
                    }).connect(server.localAddress()).sync();
            done.await();
            server.close().sync();
        } finally {
            group.shutdownGracefully().sync();
            block.release();
        }
        return total * 1e9 / (times[1] - times[0]);
    }

    private static final class Sender extends ChannelInboundHandlerAdapter {
        private final ByteBuf block;
        private long left;

        Sender(ByteBuf block, long total) {
            this.block = block;
            this.left = total;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.pipeline().get(SslHandler.class).handshakeFuture().addListener(f -> pump(ctx));
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        private void pump(ChannelHandlerContext ctx) {
            while (left > 0 && ctx.channel().isWritable()) {
                int n = (int) Math.min(block.readableBytes(), left);
                left -= n;
                ctx.writeAndFlush(block.retainedSlice(0, n));
            }
        }
    }
}
