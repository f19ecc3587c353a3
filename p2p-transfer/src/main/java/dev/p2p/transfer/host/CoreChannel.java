package dev.p2p.transfer.host;

import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageHandler;
import dev.p2p.transfer.wire.PeerTls;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;

/**
 * One transfer connection's end of the pipeline: tells the {@link TransferHost}'s core, under the
 * connection's id, that it was accepted, which node its TLS certificate proves, every message, a
 * change of writability and the close. While an accepted connection is not writable its peer's
 * messages are not read either, so a peer that asks without reading cannot grow our memory.
 */
final class CoreChannel extends MessageHandler {
    private final TransferHost host;
    private final long id;
    private final boolean accepted;
    private String error;
    private boolean tlsFailed;

    CoreChannel(TransferHost host, long id, boolean accepted) {
        this.host = host;
        this.id = id;
        this.accepted = accepted;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (accepted) {
            host.input(() -> host.core().onAccepted(id));
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        ssl.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                if (error == null) {
                    error = "TLS handshake failed: " + f.cause().getMessage();
                }
                tlsFailed(ctx);
                ctx.close();
                return;
            }
            dev.p2p.dht.NodeId proven = PeerTls.peerNodeId(ssl);
            host.input(() -> host.core().onTlsDone(id, proven));
        });
        ctx.fireChannelActive();
    }

    @Override
    protected void handle(ChannelHandlerContext ctx, Message msg) {
        host.input(() -> host.core().onMessage(id, msg));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (accepted) {
            boolean writable = ctx.channel().isWritable();
            ctx.channel().config().setAutoRead(writable);
            host.input(() -> host.core().onWritable(id, writable));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        host.closed(id, error);
        ctx.fireChannelInactive();
    }

    @Override
    protected void onError(ChannelHandlerContext ctx, Throwable cause) {
        if (error == null) {
            error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                tlsFailed(ctx);
                return;
            }
        }
    }

    /** Tells the host, once, that this dialled connection's TLS failed. */
    private void tlsFailed(ChannelHandlerContext ctx) {
        if (!accepted && !tlsFailed && ctx.channel().remoteAddress() instanceof InetSocketAddress to) {
            tlsFailed = true;
            host.tlsFailed((InetSocketAddress) ctx.channel().localAddress(), to);
        }
    }
}
