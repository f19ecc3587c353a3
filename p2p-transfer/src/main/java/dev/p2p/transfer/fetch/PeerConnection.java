package dev.p2p.transfer.fetch;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageHandler;
import dev.p2p.transfer.wire.PeerTls;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;

/**
 * The downloading side of one connection, on the download's event loop: reports the TLS
 * handshake's proven node id, every message and the close to its {@link DownloadHost}. Messages
 * are handled one at a time, so a fast sender is held back by TCP flow control, not by a queue.
 */
final class PeerConnection extends MessageHandler {
    private final DownloadHost host;
    private final NodeId peer;
    private String error;

    PeerConnection(DownloadHost host, NodeId peer) {
        this.host = host;
        this.peer = peer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        ssl.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                error = "TLS handshake failed: " + f.cause().getMessage();
                ctx.close();
                return;
            }
            host.connected(peer, PeerTls.peerNodeId(ssl));
        });
        ctx.fireChannelActive();
    }

    @Override
    protected void handle(ChannelHandlerContext ctx, Message msg) {
        host.message(peer, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        host.closed(peer, ctx.channel(), error);
        ctx.fireChannelInactive();
    }

    @Override
    protected void onError(Throwable cause) {
        if (error == null) {
            error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
    }
}
