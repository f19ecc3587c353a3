package dev.p2p.transfer.serve;

import dev.p2p.transfer.session.UploadAction;
import dev.p2p.transfer.session.UploadMachine;
import dev.p2p.transfer.wire.ByteBufPayload;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageHandler;
import dev.p2p.transfer.wire.PeerTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hosts the {@link UploadMachine} of one connected peer on the channel's event loop: feeds it the
 * TLS result, messages and writability, carries out its actions (send, close, read a chunk from
 * the {@link ShareRegistry}, subscribe to a download's new chunks) and arms its deadline. While the
 * channel is not writable the peer's messages are not read either, so a peer that asks without
 * reading cannot grow our memory.
 */
final class UploadHandler extends MessageHandler {
    private final TransferServer server;
    private final InetAddress from;
    private final List<ServedContent.Subscription> subscriptions = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private UploadMachine machine;
    private boolean handshaking = true;
    private boolean draining;
    private ScheduledFuture<?> timer;
    private long timerDeadline = Long.MAX_VALUE;

    UploadHandler(TransferServer server, InetAddress from) {
        this.server = server;
        this.from = from;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ServerConfig config = server.config();
        machine = new UploadMachine(server.nodeId(), server.registry()::servable, server.limits(), config.maxQueuedRequests(),
                config.helloTimeoutMillis() * 1_000_000L, server.nanoTime());
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        ssl.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            machine.onTlsDone(PeerTls.peerNodeId(ssl), server.nanoTime());
            drain();
        });
        drain();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handshakeOver();
        machine.onClosed();
        subscriptions.forEach(ServedContent.Subscription::close);
        subscriptions.clear();
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    protected void handle(ChannelHandlerContext ctx, Message msg) {
        machine.onMessage(msg, server.nanoTime());
        drain();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        machine.onWritable(writable, server.nanoTime());
        drain();
        ctx.fireChannelWritabilityChanged();
    }

    /** Carries out the machine's actions; an input that arrives meanwhile (writability) queues more for this loop. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (UploadAction a = machine.poll(); a != null; a = machine.poll()) {
                act(a);
            }
        } finally {
            draining = false;
        }
        ctx.flush();
        rearm();
    }

    private void act(UploadAction a) {
        if (a instanceof UploadAction.Send s) {
            ctx.write(s.message(), ctx.voidPromise());
        } else if (a instanceof UploadAction.Read r) {
            read(r.request());
        } else if (a instanceof UploadAction.Close) {
            ctx.flush();
            ctx.close();
        } else if (a instanceof UploadAction.Subscribe s) {
            ServedContent c = server.registry().servable(s.content());
            if (c != null) {
                subscriptions.add(c.onAvailable(chunk -> ctx.executor().execute(() -> {
                    machine.onAvailable(s.content(), chunk);
                    drain();
                })));
            }
        } else if (a instanceof UploadAction.Introduced) {
            handshakeOver();
        }
    }

    private void read(Message.Request r) {
        ServedContent c = server.registry().servable(r.content());
        ByteBuf data = c == null ? null : c.read(r.chunk(), ctx.alloc());
        if (data != null) {
            server.config().tamper().tamper(r.chunk(), data);
        }
        machine.onChunkRead(r, data == null ? null : new ByteBufPayload(data), c == null || !c.isServable(), server.nanoTime());
    }

    private void rearm() {
        long next = machine.nextDeadline();
        if (next >= timerDeadline) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerDeadline = next;
        timer = ctx.executor().schedule(() -> {
            timerDeadline = Long.MAX_VALUE;
            machine.onTimeout(server.nanoTime());
            drain();
        }, Math.max(0, next - server.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void handshakeOver() {
        if (handshaking) {
            handshaking = false;
            server.handshakeOver(from);
        }
    }
}
