package dev.p2p.transfer.host;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Hashes;
import dev.p2p.transfer.serve.ServedContent;
import dev.p2p.transfer.store.PartialDownload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A download in progress, served to other peers: the chunks it has verified and journaled, each
 * hashed again as it is read back. Peers that asked hear of new chunks from the core (HAVE).
 */
final class PartialContent implements ServedContent {
    private final ContentId id;
    private final byte[] manifestBytes;
    private final ChunkLayout layout;
    private final byte[] leaves;
    private final PartialDownload store;

    PartialContent(ContentId id, byte[] manifestBytes, ChunkLayout layout, byte[] leaves, PartialDownload store) {
        this.id = id;
        this.manifestBytes = manifestBytes.clone();
        this.layout = layout;
        this.leaves = leaves;
        this.store = store;
    }

    @Override
    public ContentId id() {
        return id;
    }

    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    @Override
    public ChunkLayout layout() {
        return layout;
    }

    @Override
    public byte[] leafHashes(int entry, int first, int count) {
        int from = (layout.firstChunk(entry) + first) * Hashes.BYTES;
        return Arrays.copyOfRange(leaves, from, from + count * Hashes.BYTES);
    }

    @Override
    public BitSet available() {
        return store.verified();
    }

    @Override
    public ByteBuf read(int chunk, ByteBufAllocator alloc) {
        int len = layout.chunkLength(chunk);
        ByteBuf buf = ServedContent.chunkBuffer(alloc, len);
        ByteBuffer nio = buf.nioBuffer(buf.writerIndex(), len);
        if (!store.readCommitted(chunk, nio)
                || !Arrays.equals(Hashes.leaf(nio), 0, 32, leaves, chunk * 32, chunk * 32 + 32)) {
            buf.release();
            return null;
        }
        buf.writerIndex(buf.writerIndex() + len);
        return buf;
    }

    @Override
    public boolean isServable() {
        return true;
    }


}
