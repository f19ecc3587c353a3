package dev.p2p.transfer.serve;

import dev.p2p.transfer.session.Servable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Content a server can answer for: complete shared content ({@link CompleteContent}) or a
 * download in progress that serves the chunks it has verified so far. Implementations are
 * thread-safe; every chunk they hand out has been hashed again against its leaf just before.
 */
public interface ServedContent extends Servable {
    /**
     * The chunk in a new buffer after checking its bytes against its leaf hash, or null when it
     * cannot be served (not available yet, or the content changed; see {@link #isServable}).
     */
    ByteBuf read(int chunk, ByteBufAllocator alloc);

    /**
     * Free bytes in front of a chunk read for sending, where the encoder writes the frame header
     * ({@code WireCodec}): header and bytes then leave as one buffer, which TLS seals into records
     * in one pass, with no record that straddles two buffers and must be copied together.
     */
    int HEADROOM = 64;

    /** A heap buffer (the JDK TLS engine seals heap bytes faster) for a chunk of {@code length}, empty, after {@link #HEADROOM}. */
    static ByteBuf chunkBuffer(ByteBufAllocator alloc, int length) {
        ByteBuf buf = alloc.heapBuffer(HEADROOM + length, HEADROOM + length);
        buf.setIndex(HEADROOM, HEADROOM);
        return buf;
    }
}
