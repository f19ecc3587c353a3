package dev.p2p.transfer.serve;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Hashes;
import dev.p2p.transfer.content.SharedContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Indexed content served in place. Before a chunk is sent, the file's size and mtime must be those
 * it was indexed with and the bytes read must hash to the chunk's leaf; on any mismatch the
 * content is marked stale and nothing is sent, now or later, until it is indexed again.
 */
public final class CompleteContent implements ServedContent {
    private final SharedContent content;

    public CompleteContent(SharedContent content) {
        this.content = content;
    }

    /** What is served: the indexed (or downloaded and verified) content. */
    public SharedContent content() {
        return content;
    }

    @Override
    public ContentId id() {
        return content.id();
    }

    @Override
    public byte[] manifestBytes() {
        return content.manifestBytes();
    }

    @Override
    public ChunkLayout layout() {
        return content.layout();
    }

    @Override
    public byte[] leafHashes(int entry, int first, int count) {
        return content.leafHashes(entry, first, count);
    }

    @Override
    public BitSet available() {
        BitSet all = new BitSet();
        all.set(0, content.layout().totalChunks());
        return all;
    }

    @Override
    public boolean isServable() {
        return !content.isStale();
    }


    @Override
    public ByteBuf read(int chunk, ByteBufAllocator alloc) {
        ChunkLayout layout = content.layout();
        int entry = layout.entryOf(chunk);
        if (!content.isUnchanged(entry)) {
            content.markStale();
            return null;
        }
        int len = layout.chunkLength(chunk);
        ByteBuf buf = alloc.heapBuffer(len, len); // the JDK TLS engine is faster on heap buffers
        try {
            ByteBuffer nio = buf.nioBuffer(0, len);
            try (FileChannel ch = SharedContent.openForReading(content.file(entry))) {
                readFully(ch, nio, layout.offsetInFile(chunk));
            }
            nio.flip();
            if (!Arrays.equals(Hashes.leaf(nio), content.leafHash(chunk))) {
                throw new IOException("chunk " + chunk + " no longer matches its hash");
            }
            buf.writerIndex(len);
            return buf;
        } catch (IOException e) {
            buf.release();
            content.markStale();
            return null;
        }
    }

    /** Fills {@code buf} from {@code position}; a file that ends early is an IOException. */
    static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException("file is shorter than when it was indexed");
            }
        }
    }
}
