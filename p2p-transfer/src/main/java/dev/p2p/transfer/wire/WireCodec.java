package dev.p2p.transfer.wire;

import dev.p2p.transfer.runtime.SystemEnvironment;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The framing layer: a 4-byte big-endian length, then the body. Frames longer than
 * {@link MessageCodec#MAX_FRAME} are refused before any buffer for them is allocated, and a
 * frame must arrive whole within a deadline ({@link FrameDecoder}).
 */
public final class WireCodec {
    /** Default time a frame may take from its first byte to its last: 1 MiB at 35 KB/s. */
    public static final long FRAME_TIMEOUT_MILLIS = 30_000;

    private WireCodec() {}

    /** Adds frame decoder, message decoder and message encoder to {@code p} (after TLS), default deadlines. */
    public static void install(ChannelPipeline p) {
        install(p, FRAME_TIMEOUT_MILLIS, 0, SystemEnvironment.INSTANCE::nanoTime);
    }

    /**
     * As {@link #install(ChannelPipeline)}, with deadlines.
     *
     * @param frameTimeoutMillis a frame must be complete this long after its first byte
     * @param idleTimeoutMillis a complete frame must arrive at least this often; 0 for no limit
     * @param clock monotonic nanoseconds the deadlines are measured in
     */
    public static void install(ChannelPipeline p, long frameTimeoutMillis, long idleTimeoutMillis, LongSupplier clock) {
        p.addLast("frames", new FrameDecoder(frameTimeoutMillis, idleTimeoutMillis, clock));
        p.addLast("decoder", new Decoder());
        p.addLast("encoder", new Encoder());
    }

    static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
            out.add(MessageCodec.decode(frame));
        }
    }

    static final class Encoder extends MessageToMessageEncoder<Message> {
        @Override
        protected void encode(ChannelHandlerContext ctx, Message msg, List<Object> out) {
            ByteBuf header = ctx.alloc().buffer(64);
            MessageCodec.writeFrame(msg, header);
            if (!(msg instanceof Message.ChunkData c)) {
                out.add(header);
                return;
            }
            ByteBuf data = ByteBufPayload.buf(c.data()); // ownership passes to the channel
            if (prepend(header, data)) {
                header.release();
            } else {
                out.add(header);
            }
            out.add(data);
        }

        /**
         * Writes {@code header} into the free bytes in front of {@code data} when it has them and
         * is not shared (a chunk read for sending has them), so the frame leaves as one buffer.
         */
        static boolean prepend(ByteBuf header, ByteBuf data) {
            int length = header.readableBytes();
            int at = data.readerIndex() - length;
            if (at < 0 || data.refCnt() != 1 || data.isReadOnly()) {
                return false;
            }
            data.setBytes(at, header, header.readerIndex(), length);
            data.readerIndex(at);
            return true;
        }
    }
}
