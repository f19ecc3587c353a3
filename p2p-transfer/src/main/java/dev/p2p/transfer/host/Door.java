package dev.p2p.transfer.host;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A second service on the transfer port: a connection whose first bytes are {@code magic} (never
 * the first byte of TLS, 0x16) is spliced, bytes as they come, to a local service at {@code to};
 * any other goes on to TLS and the transfer protocol. The relay uses it, so peers reach relays on
 * the one port they already know (docs/REACHABILITY.md). The local service sees every connection
 * come from loopback, so the door first tells it who dialled: one byte n (4 or 16), then the n
 * bytes of the peer's IP address; the peer's own bytes follow.
 */
final class Door {
    private final byte[] magic;
    private final InetSocketAddress to;

    Door(byte[] magic, InetSocketAddress to) {
        if (magic.length == 0 || magic[0] == 0x16) {
            throw new IllegalArgumentException("a door's magic cannot start like TLS");
        }
        this.magic = magic.clone();
        this.to = to;
    }

    /** The first handler of an accepted connection; {@code transfer} installs TLS and the rest when it is not ours. */
    Sniffer sniffer(Consumer<Channel> transfer, long timeoutMillis) {
        return new Sniffer(transfer, timeoutMillis);
    }

    final class Sniffer extends ByteToMessageDecoder {
        private final Consumer<Channel> transfer;
        private final long timeoutMillis;

        Sniffer(Consumer<Channel> transfer, long timeoutMillis) {
            this.transfer = transfer;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // Held back until the first bytes say whose connection it is; a silent one is closed.
            ctx.executor().schedule(() -> {
                if (ctx.pipeline().get(Sniffer.class) == this) {
                    ctx.close();
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int n = Math.min(in.readableBytes(), magic.length);
            if (n == 0) {
                return;
            }
            if (!ByteBufUtil.equals(in, in.readerIndex(), Unpooled.wrappedBuffer(magic), 0, n)) {
                transfer.accept(ctx.channel());
                if (ctx.channel().isOpen()) {
                    ctx.fireChannelActive();
                    ctx.pipeline().remove(this); // hands what it holds on to TLS
                }
                return;
            }
            if (n < magic.length) {
                return;
            }
            Channel inbound = ctx.channel();
            inbound.config().setAutoRead(false);
            ByteBuf first = in.readRetainedSlice(in.readableBytes());
            ctx.pipeline().remove(this);
            new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class).option(ChannelOption.AUTO_READ, false)
                    .handler(new Splice(inbound)).connect(to).addListener((ChannelFutureListener) f -> {
                        if (!f.isSuccess()) {
                            first.release();
                            inbound.close();
                            return;
                        }
                        inbound.pipeline().addLast(new Splice(f.channel()));
                        f.channel().write(whoDialled(inbound));
                        f.channel().writeAndFlush(first).addListener(w -> {
                            inbound.read();
                            f.channel().read();
                        });
                    });
        }
    }

    /** The header the local service reads first: the length of the peer's IP address, then the address. */
    static ByteBuf whoDialled(Channel inbound) {
        byte[] ip = ((InetSocketAddress) inbound.remoteAddress()).getAddress().getAddress();
        return Unpooled.buffer(1 + ip.length).writeByte(ip.length).writeBytes(ip);
    }

    /** Copies what one channel reads to {@code other}, reading on only once it is written (so memory stays bounded). */
    private static final class Splice extends ChannelInboundHandlerAdapter {
        private final Channel other;

        Splice(Channel other) {
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            other.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    ctx.channel().read();
                } else {
                    f.channel().close();
                    ctx.close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
