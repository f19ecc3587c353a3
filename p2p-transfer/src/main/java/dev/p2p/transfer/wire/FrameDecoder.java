package dev.p2p.transfer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Splits the decrypted stream into frames (4-byte length, then the body) and enforces two
 * deadlines, so a peer cannot hold a connection by sending slowly:
 *
 * <ul>
 *   <li>a frame must be complete within {@code frameTimeoutMillis} of its first byte (a
 *       peer announcing a length and then dribbling or never sending the bytes is dropped);
 *   <li>optionally, some complete frame must arrive every {@code idleTimeoutMillis} (0 = no
 *       limit); bytes that never complete a frame, such as a TLS record sent one byte at a
 *       time, do not count.
 * </ul>
 *
 * <p>A length over {@link MessageCodec#MAX_FRAME} is refused as soon as the length field is
 * read, before anything is buffered for it; nothing is ever allocated from an announced length
 * (the buffer grows only with bytes actually received). Either failure is raised as an exception
 * down the pipeline, where the protocol handler closes the connection.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    /** A frame took too long, or nothing complete arrived for too long. */
    static final class TimeoutException extends IOException {
        TimeoutException(String message) {
            super(message);
        }
    }

    private final long frameTimeoutNanos;
    private final long idleTimeoutNanos;
    private long partialSince; // when the incomplete frame now buffered began; 0 = none
    private long lastFrame;
    private boolean framed;
    private ScheduledFuture<?> check;
    /** Monotonic nanoseconds (the environment's). */
    private final LongSupplier clock;

    FrameDecoder(long frameTimeoutMillis, long idleTimeoutMillis, LongSupplier clock) {
        super(MessageCodec.MAX_FRAME + 4, 0, 4, 0, 4, true);
        // A 256 KiB chunk arrives as a run of decrypted TLS records: kept as components of one
        // buffer, not copied into an ever-growing one (which copied most bytes twice).
        setCumulator(COMPOSITE_CUMULATOR);
        this.clock = clock;
        this.frameTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(frameTimeoutMillis);
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    /** One periodic check per connection, at a quarter of the shorter deadline. */
    private void arm(ChannelHandlerContext ctx) {
        if (check != null) {
            return;
        }
        lastFrame = clock.getAsLong();
        long shortest = idleTimeoutNanos > 0 ? Math.min(frameTimeoutNanos, idleTimeoutNanos) : frameTimeoutNanos;
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), shortest / 4);
        check = ctx.executor().scheduleAtFixedRate(() -> checkDeadlines(ctx), period, period, TimeUnit.NANOSECONDS);
    }

    private void checkDeadlines(ChannelHandlerContext ctx) {
        long now = clock.getAsLong();
        String late = null;
        if (partialSince != 0 && now - partialSince > frameTimeoutNanos) {
            late = "a frame was not completed within " + TimeUnit.NANOSECONDS.toMillis(frameTimeoutNanos) + " ms";
        } else if (idleTimeoutNanos > 0 && now - lastFrame > idleTimeoutNanos) {
            late = "no message for " + TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos) + " ms";
        }
        if (late != null) {
            disarm();
            ctx.fireExceptionCaught(new TimeoutException(late));
            ctx.close();
        }
    }

    private void disarm() {
        if (check != null) {
            check.cancel(false);
        }
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        Object frame = super.decode(ctx, in);
        if (frame != null) {
            framed = true;
        }
        return frame;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        framed = false;
        try {
            super.channelRead(ctx, msg);
        } finally {
            long now = clock.getAsLong();
            if (framed) {
                lastFrame = now;
            }
            if (actualReadableBytes() == 0) {
                partialSince = 0;
            } else if (framed || partialSince == 0) {
                partialSince = now; // a new frame began in this read
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        disarm();
    }
}
