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
}
