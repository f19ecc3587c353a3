package dev.p2p.sim.swarm;

import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * The real codec in the path of a real-bytes run: a message is what the receiver decodes from the
 * frame the sender's codec wrote, and it weighs that frame's bytes on the wire.
 */
final class Wire {
    private static final ByteBufAllocator HEAP = new UnpooledByteBufAllocator(false);

    record Sent(Message message, int bytes) {}

    private Wire() {}

    /** Encodes {@code m} (releasing its payload, which the frame copied) and decodes the frame. */
    static Sent through(Message m) {
        ByteBuf frame = MessageCodec.encode(m, HEAP);
        if (m instanceof Message.ChunkData c) {
            c.data().release();
        }
        try {
            int bytes = frame.readableBytes();
            int length = frame.readInt();
            if (length != frame.readableBytes()) {
                throw new IllegalStateException("the codec framed " + frame.readableBytes() + " bytes as " + length);
            }
            return new Sent(MessageCodec.decode(frame), bytes);
        } finally {
            frame.release();
        }
    }
}
