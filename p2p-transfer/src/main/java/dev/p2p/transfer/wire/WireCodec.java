package dev.p2p.transfer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * The framing layer: a 4-byte big-endian length, then the body. Frames longer than
 * {@link MessageCodec#MAX_FRAME} are refused before any buffer for them is allocated.
 */
public final class WireCodec {
    private WireCodec() {}

    /** Adds frame decoder, message decoder and message encoder to {@code p} (after TLS). */
    public static void install(ChannelPipeline p) {
        p.addLast("frames", new LengthFieldBasedFrameDecoder(MessageCodec.MAX_FRAME + 4, 0, 4, 0, 4, true));
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
            out.add(header);
            if (msg instanceof Message.ChunkData c) {
                out.add(c.data()); // ownership passes to the channel
            }
        }
    }
}
