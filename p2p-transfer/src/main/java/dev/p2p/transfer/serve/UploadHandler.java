package dev.p2p.transfer.serve;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.wire.Bitfields;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageHandler;
import dev.p2p.transfer.wire.MessageCodec;
import dev.p2p.transfer.wire.PeerTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * Serves one connected peer. Runs on the channel's event loop only. Requests wait in a queue
 * bounded by {@link ServerConfig#maxQueuedRequests} (more are refused); a chunk is read from disk
 * only when the channel is writable and the shared rate budget allows, and the peer's messages
 * are not read while the channel is not writable, so memory per peer stays at about the
 * high-water mark plus one chunk whatever the peer asks.
 */
final class UploadHandler extends MessageHandler {
    /** The all-zero content id, for refusals not about any content. */
    private static final ContentId NO_CONTENT = ContentId.of(new byte[ContentId.BYTES]);
    private final TransferServer server;
    private final ChunkReader reader = new ChunkReader();
    private final ArrayDeque<Message.Request> queue = new ArrayDeque<>();
    private NodeId peer;
    private boolean helloSeen;
    private boolean waitingForBudget;
    private boolean admitted;

    UploadHandler(TransferServer server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        ssl.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            peer = PeerTls.peerNodeId(ssl);
            ctx.writeAndFlush(new Message.Hello(Message.VERSION, server.nodeId()));
            admitted = server.admit();
            if (!admitted) {
                refuse(ctx, NO_CONTENT, MessageCodec.HELLO, 0, Message.Reason.BUSY, "too many peers; try later");
                ctx.close();
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted) {
            server.release();
            admitted = false;
        }
        queue.clear();
        ctx.fireChannelInactive();
    }

    @Override
    protected void handle(ChannelHandlerContext ctx, Message msg) {
        if (!admitted) {
            return;
        }
        if (!helloSeen) {
            if (!(msg instanceof Message.Hello h) || h.version() != Message.VERSION || !h.nodeId().equals(peer)) {
                ctx.close(); // a peer must first say who it is, and be who its certificate says
                return;
            }
            helloSeen = true;
            return;
        }
        if (msg instanceof Message.GetManifest g) {
            SharedContent c = server.registry().servable(g.content());
            if (c == null) {
                refuse(ctx, g.content(), MessageCodec.GET_MANIFEST, 0, Message.Reason.UNKNOWN_CONTENT, "not shared here");
                return;
            }
            ctx.write(new Message.ManifestData(c.id(), c.manifestBytes()));
            int n = c.layout().totalChunks();
            BitSet all = new BitSet(n);
            all.set(0, n);
            ctx.writeAndFlush(new Message.Bitfield(c.id(), n, Bitfields.toWire(all, n)));
        } else if (msg instanceof Message.GetHashes g) {
            answerHashes(ctx, g);
        } else if (msg instanceof Message.Request r) {
            if (queue.size() >= server.config().maxQueuedRequests()) {
                refuse(ctx, r.content(), MessageCodec.REQUEST, r.chunk(), Message.Reason.TOO_MANY_REQUESTS, "queue full");
                return;
            }
            queue.add(r);
            pump(ctx);
        } else if (msg instanceof Message.Cancel c) {
            queue.removeIf(r -> r.chunk() == c.chunk() && r.content().equals(c.content()));
        }
        // HELLO again, HAVE, BITFIELD, CHUNK, REFUSE: nothing to do for a pure server.
    }

    private void answerHashes(ChannelHandlerContext ctx, Message.GetHashes g) {
        SharedContent c = server.registry().servable(g.content());
        if (c == null) {
            refuse(ctx, g.content(), MessageCodec.GET_HASHES, g.entry(), Message.Reason.UNKNOWN_CONTENT, "not shared here");
            return;
        }
        ChunkLayout layout = c.layout();
        if (g.entry() >= layout.entryCount() || (long) g.first() + g.count() > layout.chunkCount(g.entry())) {
            refuse(ctx, g.content(), MessageCodec.GET_HASHES, g.entry(), Message.Reason.BAD_REQUEST, "no such hashes");
            return;
        }
        ctx.writeAndFlush(new Message.HashesData(c.id(), g.entry(), g.first(), c.leafHashes(g.entry(), g.first(), g.count())));
    }

    /**
     * Backpressure both ways: while our outbound buffer is over its high-water mark we stop
     * reading the peer's messages, so a peer that asks without reading cannot grow our memory.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        pump(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    /** Sends queued chunks while the channel is writable and the rate budget allows. */
    private void pump(ChannelHandlerContext ctx) {
        while (!waitingForBudget && !queue.isEmpty() && ctx.channel().isWritable()) {
            Message.Request r = queue.peek();
            SharedContent c = server.registry().servable(r.content());
            if (c == null || r.chunk() >= c.layout().totalChunks()) {
                queue.poll();
                refuse(ctx, r.content(), MessageCodec.REQUEST, r.chunk(), Message.Reason.NOT_AVAILABLE, "not available");
                continue;
            }
            long wait = server.limiter().reserve(c.layout().chunkLength(r.chunk()), System.nanoTime());
            if (wait > 0) {
                waitingForBudget = true;
                ctx.executor().schedule(() -> {
                    waitingForBudget = false;
                    send(ctx, queue.poll());
                    pump(ctx);
                }, wait, TimeUnit.NANOSECONDS);
                return;
            }
            send(ctx, queue.poll());
        }
    }

    private void send(ChannelHandlerContext ctx, Message.Request r) {
        if (r == null || !ctx.channel().isActive()) {
            return;
        }
        SharedContent c = server.registry().servable(r.content());
        ByteBuf data = c == null ? null : reader.read(c, r.chunk(), ctx.alloc());
        if (data == null) {
            refuse(ctx, r.content(), MessageCodec.REQUEST, r.chunk(), Message.Reason.STALE,
                    "content changed on disk; it is not served until shared again");
            return;
        }
        server.config().tamper().tamper(r.chunk(), data);
        server.countUpload(data.readableBytes());
        ctx.writeAndFlush(new Message.ChunkData(r.content(), r.chunk(), data));
    }

    private static void refuse(ChannelHandlerContext ctx, ContentId id, int type, int index, Message.Reason reason, String text) {
        ctx.writeAndFlush(new Message.Refuse(id, type, index, reason, text));
    }
}
