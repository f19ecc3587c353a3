package dev.p2p.transfer.serve;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.wire.Bitfields;
import dev.p2p.transfer.wire.ByteBufPayload;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageHandler;
import dev.p2p.transfer.wire.MessageCodec;
import dev.p2p.transfer.wire.PeerTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serves one connected peer. Runs on the channel's event loop only. Asks (REQUEST, GET_HASHES,
 * GET_MANIFEST) wait in one queue bounded by {@link ServerConfig#maxQueuedRequests}; more are
 * refused, and a peer that keeps asking past the bound is disconnected. Asks are answered only
 * while the channel is writable (and, for chunks, while the shared rate budget allows), and the
 * peer's messages are not read while the channel is not writable, so memory per peer stays at
 * about the high-water mark plus one answer whatever the peer asks: even a batch of thousands of
 * small asks decoded from one read costs one queue entry each, never one answer each.
 *
 * <p>A connection must send HELLO within {@link ServerConfig#helloTimeoutMillis} of being
 * accepted; until then it counts against its address's handshaking limit.
 */
final class UploadHandler extends MessageHandler {
    /** The all-zero content id, for refusals not about any content. */
    private static final ContentId NO_CONTENT = ContentId.of(new byte[ContentId.BYTES]);
    private final TransferServer server;
    private final Map<ContentId, ServedContent.Subscription> subscriptions = new HashMap<>();
    private final ArrayDeque<Message> queue = new ArrayDeque<>(); // REQUEST, GET_HASHES, GET_MANIFEST
    private final InetAddress from;
    private int overflows; // asks refused because the queue was full
    private boolean handshaking = true;
    private NodeId peer;
    private boolean helloSeen;
    private boolean waitingForBudget;
    private boolean admitted;

    UploadHandler(TransferServer server, InetAddress from) {
        this.server = server;
        this.from = from;
    }

    private void handshakeOver() {
        if (handshaking) {
            handshaking = false;
            server.handshakeOver(from);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> {
            if (!helloSeen) {
                ctx.close(); // TLS and HELLO took too long: a slow or silent client holds no place
            }
        }, server.config().helloTimeoutMillis(), TimeUnit.MILLISECONDS);
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
        handshakeOver();
        if (admitted) {
            server.release();
            admitted = false;
        }
        queue.clear();
        subscriptions.values().forEach(ServedContent.Subscription::close);
        subscriptions.clear();
        ctx.fireChannelInactive();
    }

    @Override
    protected void handle(ChannelHandlerContext ctx, Message msg) {
        if (msg instanceof Message.ChunkData c) {
            c.data().release(); // a pure server asked for nothing
            return;
        }
        if (!admitted) {
            return;
        }
        if (!helloSeen) {
            if (!(msg instanceof Message.Hello h) || h.version() != Message.VERSION || !h.nodeId().equals(peer)) {
                ctx.close(); // a peer must first say who it is, and be who its certificate says
                return;
            }
            helloSeen = true;
            handshakeOver();
            return;
        }
        if (msg instanceof Message.GetManifest || msg instanceof Message.GetHashes || msg instanceof Message.Request) {
            if (queue.size() >= server.config().maxQueuedRequests()) {
                overflow(ctx, msg);
                return;
            }
            queue.add(msg);
            pump(ctx);
        } else if (msg instanceof Message.Cancel c) {
            queue.removeIf(m -> m instanceof Message.Request r && r.chunk() == c.chunk() && r.content().equals(c.content()));
        }
        // HELLO again, HAVE, BITFIELD, CHUNK, REFUSE: nothing to do for a pure server.
    }

    /** Refuses an ask beyond the queue; a peer that keeps asking regardless is dropped. */
    private void overflow(ChannelHandlerContext ctx, Message msg) {
        if (++overflows > server.config().maxQueuedRequests()) {
            queue.clear();
            ctx.close();
            return;
        }
        if (msg instanceof Message.Request r) {
            refuse(ctx, r.content(), MessageCodec.REQUEST, r.chunk(), Message.Reason.TOO_MANY_REQUESTS, "queue full");
        } else if (msg instanceof Message.GetHashes g) {
            refuse(ctx, g.content(), MessageCodec.GET_HASHES, g.entry(), Message.Reason.TOO_MANY_REQUESTS, "queue full");
        } else if (msg instanceof Message.GetManifest g) {
            refuse(ctx, g.content(), MessageCodec.GET_MANIFEST, 0, Message.Reason.TOO_MANY_REQUESTS, "queue full");
        }
    }

    /** Manifest, then what we have, then a HAVE for each chunk we get later (downloads in progress). */
    private void answerManifest(ChannelHandlerContext ctx, Message.GetManifest g) {
        ServedContent c = server.registry().servable(g.content());
        if (c == null) {
            refuse(ctx, g.content(), MessageCodec.GET_MANIFEST, 0, Message.Reason.UNKNOWN_CONTENT, "not shared here");
            return;
        }
        if (!subscriptions.containsKey(c.id())) {
            subscriptions.put(c.id(), c.onAvailable(chunk -> ctx.executor().execute(() -> {
                if (ctx.channel().isActive()) {
                    ctx.writeAndFlush(new Message.Have(c.id(), chunk));
                }
            })));
        }
        ctx.write(new Message.ManifestData(c.id(), c.manifestBytes()));
        int n = c.layout().totalChunks();
        ctx.writeAndFlush(new Message.Bitfield(c.id(), n, Bitfields.toWire(c.available(), n)));
    }

    private void answerHashes(ChannelHandlerContext ctx, Message.GetHashes g) {
        ServedContent c = server.registry().servable(g.content());
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
        while (!waitingForBudget && !queue.isEmpty() && ctx.channel().isWritable() && ctx.channel().isActive()) {
            if (queue.peek() instanceof Message.GetManifest g) {
                queue.poll();
                answerManifest(ctx, g);
                continue;
            } else if (queue.peek() instanceof Message.GetHashes g) {
                queue.poll();
                answerHashes(ctx, g);
                continue;
            }
            Message.Request r = (Message.Request) queue.peek();
            ServedContent c = server.registry().servable(r.content());
            if (c == null || r.chunk() >= c.layout().totalChunks()) {
                queue.poll();
                refuse(ctx, r.content(), MessageCodec.REQUEST, r.chunk(), Message.Reason.NOT_AVAILABLE, "not available");
                continue;
            }
            long wait = server.limiter().reserve(c.layout().chunkLength(r.chunk()), server.nanoTime());
            if (wait > 0) {
                waitingForBudget = true;
                ctx.executor().schedule(() -> {
                    waitingForBudget = false;
                    if (queue.peek() == r) { // else cancelled meanwhile: its budget goes to the next
                        send(ctx, (Message.Request) queue.poll());
                    }
                    pump(ctx);
                }, wait, TimeUnit.NANOSECONDS);
                return;
            }
            send(ctx, (Message.Request) queue.poll());
        }
    }

    private void send(ChannelHandlerContext ctx, Message.Request r) {
        if (r == null || !ctx.channel().isActive()) {
            return;
        }
        ServedContent c = server.registry().servable(r.content());
        ByteBuf data = c == null ? null : c.read(r.chunk(), ctx.alloc());
        if (data == null) {
            if (c == null || !c.isServable()) {
                refuse(ctx, r.content(), MessageCodec.REQUEST, r.chunk(), Message.Reason.STALE,
                        "content changed on disk; it is not served until shared again");
            } else {
                refuse(ctx, r.content(), MessageCodec.REQUEST, r.chunk(), Message.Reason.NOT_AVAILABLE, "do not have it");
            }
            return;
        }
        server.config().tamper().tamper(r.chunk(), data);
        server.countUpload(data.readableBytes());
        ctx.writeAndFlush(new Message.ChunkData(r.content(), r.chunk(), new ByteBufPayload(data)));
    }

    private static void refuse(ChannelHandlerContext ctx, ContentId id, int type, int index, Message.Reason reason, String text) {
        ctx.writeAndFlush(new Message.Refuse(id, type, index, reason, text));
    }
}
