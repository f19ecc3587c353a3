package dev.p2p.transfer.serve;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.Hashes;
import dev.p2p.transfer.content.SharedContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Reads a chunk of shared content from where it lies and checks it before it is sent: the file's
 * size and mtime must be those it was indexed with, and the bytes must hash to the chunk's leaf.
 * On any mismatch the content is marked stale and nothing is sent.
 */
final class ChunkReader {
    private final MessageDigest md = Hashes.sha256();

    /** The verified chunk in a new buffer, or null (content now stale or unreadable). */
    ByteBuf read(SharedContent content, int chunk, ByteBufAllocator alloc) {
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
            long pos = layout.offsetInFile(chunk);
            try (FileChannel ch = FileChannel.open(content.file(entry), StandardOpenOption.READ)) {
                while (nio.hasRemaining()) {
                    if (ch.read(nio, pos + nio.position()) < 0) {
                        break;
                    }
                }
            }
            if (nio.hasRemaining()) {
                content.markStale();
                buf.release();
                return null;
            }
            nio.flip();
            if (!Arrays.equals(Hashes.leaf(md, nio), content.leafHash(chunk))) {
                content.markStale();
                buf.release();
                return null;
            }
            buf.writerIndex(len);
            return buf;
        } catch (IOException e) {
            buf.release();
            content.markStale();
            return null;
        }
    }
}
