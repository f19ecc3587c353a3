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
 * messages are not read either, so a peer that asks without reading cannot grow our memory; nor
 * while too many of its chunk bytes wait to be hashed ({@link OrderedHashing}).
 */
final class CoreChannel extends MessageHandler {
    private final TransferHost host;
    private final long id;
    private final boolean accepted;
    private String error;
    private OrderedHashing hashing;
    private boolean writable = true;
    private boolean tlsFailed;

    CoreChannel(TransferHost host, long id, boolean accepted) {
        this.host = host;
        this.id = id;
        this.accepted = accepted;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        hashing = new OrderedHashing(host.hasher(), ctx.executor(),
                msg -> host.input(() -> host.core().onMessage(id, msg)), () -> readOrNot(ctx));
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
        hashing.arrived(msg);
    }

    private void readOrNot(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(writable && !hashing.full());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (accepted) {
            writable = ctx.channel().isWritable();
            readOrNot(ctx);
            boolean now = writable;
            host.input(() -> host.core().onWritable(id, now));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        hashing.afterLast(() -> host.closed(id, error)); // the messages read before the close go first
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
