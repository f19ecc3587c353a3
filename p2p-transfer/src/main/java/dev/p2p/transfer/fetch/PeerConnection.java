package dev.p2p.transfer.fetch;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageHandler;
import dev.p2p.transfer.wire.PeerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * The downloading side of one connection. Proves the peer is the node it should be (certificate
 * key, then HELLO), asks for the manifest, and hands every message to the {@link DownloadSession}.
 * Messages are processed one at a time on the channel's thread, so a fast sender is held back by
 * TCP flow control rather than by queueing here.
 */
final class PeerConnection extends MessageHandler {
    final PeerAddress address;
    private final DownloadSession session;
    private final NodeId self;
    private volatile Channel channel;
    private boolean ready;
    private volatile boolean answered; // BITFIELD or a refusal came
    BitSet announced; // guarded by the session
    boolean inScheduler; // guarded by the session
    String closeReason;

    private final long answerTimeoutMillis;

    PeerConnection(PeerAddress address, DownloadSession session, NodeId self, long answerTimeoutMillis) {
        this.address = address;
        this.session = session;
        this.self = self;
        this.answerTimeoutMillis = answerTimeoutMillis;
    }

    NodeId id() {
        return address.nodeId();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.executor().schedule(() -> {
            if (!answered && ctx.channel().isActive()) {
                close("did not send its manifest and bitfield within " + answerTimeoutMillis / 1000.0 + " s");
            }
        }, answerTimeoutMillis, TimeUnit.MILLISECONDS);
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        ssl.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                closeReason = "TLS handshake failed: " + f.cause().getMessage();
                ctx.close();
                return;
            }
            NodeId proven = PeerTls.peerNodeId(ssl);
            if (!proven.equals(address.nodeId())) {
                closeReason = "certificate key belongs to " + proven.shortHex() + ", not " + address.nodeId().shortHex();
                session.onIdentityMismatch(this, closeReason);
                ctx.close();
                return;
            }
            ctx.write(new Message.Hello(Message.VERSION, self));
            ctx.writeAndFlush(new Message.GetManifest(session.contentId()));
        });
        ctx.fireChannelActive();
    }

    @Override
    protected void handle(ChannelHandlerContext ctx, Message msg) {
        if (!ready) {
            if (msg instanceof Message.Hello h && h.version() == Message.VERSION && h.nodeId().equals(address.nodeId())) {
                ready = true;
                session.onReady(this);
            } else {
                closeReason = msg instanceof Message.Refuse r ? "refused: " + r.text() : "peer did not say hello properly";
                ctx.close();
            }
            return;
        }
        if (msg instanceof Message.Bitfield || msg instanceof Message.Refuse) {
            answered = true;
        }
        if (msg instanceof Message.ChunkData c) {
            session.onChunk(this, c.chunk(), c.data(), c.content());
        } else if (msg instanceof Message.ManifestData m) {
            session.onManifest(this, m);
        } else if (msg instanceof Message.Bitfield b) {
            session.onBitfield(this, b);
        } else if (msg instanceof Message.Have h) {
            session.onHave(this, h);
        } else if (msg instanceof Message.HashesData h) {
            session.onHashes(this, h);
        } else if (msg instanceof Message.Refuse r) {
            session.onRefuse(this, r);
        }
    }

    void send(Message m) {
        Channel ch = channel;
        if (ch != null) {
            ch.write(m, ch.voidPromise());
        }
    }

    void flush() {
        Channel ch = channel;
        if (ch != null) {
            ch.flush();
        }
    }

    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.onDisconnected(this, ready);
        ctx.fireChannelInactive();
    }

    @Override
    protected void onError(Throwable cause) {
        if (closeReason == null) {
            closeReason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
    }
}
