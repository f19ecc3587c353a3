package dev.p2p.transfer.wire;

import dev.p2p.transfer.content.Hashes;
import io.netty.buffer.ByteBuf;

/** A chunk's bytes in a reference-counted Netty buffer; the payload owns one reference. */
public final class ByteBufPayload implements ChunkPayload {
    private final ByteBuf buf;
    private byte[] leafHash;

    public ByteBufPayload(ByteBuf buf) {
        this.buf = buf;
    }

    /** The buffer of a payload that came from the wire or from disk (every production payload). */
    public static ByteBuf buf(ChunkPayload payload) {
        if (payload instanceof ByteBufPayload b) {
            return b.buf;
        }
        throw new IllegalArgumentException("a " + payload.getClass().getSimpleName() + " carries no bytes to send");
    }

    @Override
    public int length() {
        return buf.readableBytes();
    }

    @Override
    public byte[] leafHash() {
        if (leafHash == null) {
            leafHash = Hashes.leaf(buf.nioBuffers()); // a chunk off the wire spans several buffers: hashed in place
        }
        return leafHash;
    }

    /** The bytes as the buffers they lie in, for writing without joining them first. */
    public static java.nio.ByteBuffer[] nioBuffers(ChunkPayload payload) {
        return buf(payload).nioBuffers();
    }

    @Override
    public void release() {
        buf.release();
    }
}
