package dev.p2p.transfer.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Chunk writes that bypass the page cache (O_DIRECT). A buffered write copies every received
 * byte into the page cache, into pages the CPU has not touched yet: on a downloading node that
 * copy was a quarter of its CPU (docs/BENCHMARKS-transfer.md). Here the chunk is gathered into one
 * block-aligned buffer per thread, which stays in the CPU's cache from chunk to chunk, and the disk
 * reads it from there. Only writes whose file position and length are multiples of the block size
 * can go this way (every chunk but a file's last, when chunks start at block boundaries); the
 * caller writes the others through the page cache. Filesystems without O_DIRECT (tmpfs) refuse
 * the open, and then every write is buffered.
 */
final class DirectWriter {
    private static final ThreadLocal<ByteBuffer> STAGING = new ThreadLocal<>();

    private final FileChannel channel;
    private final int block;

    private DirectWriter(FileChannel channel, int block) {
        this.channel = channel;
        this.block = block;
    }

    /** A direct writer for {@code file}, or null when its filesystem has none. */
    static DirectWriter open(Path file) {
        int block;
        try {
            long b = Files.getFileStore(file).getBlockSize();
            if (b <= 0 || b > (1 << 16) || Long.bitCount(b) != 1) {
                return null;
            }
            block = (int) Math.max(b, 4096);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        try {
            return new DirectWriter(FileChannel.open(file, StandardOpenOption.WRITE,
                    com.sun.nio.file.ExtendedOpenOption.DIRECT), block);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** True if a write of {@code length} bytes at {@code position} can go this way. */
    boolean fits(long position, long length) {
        return length > 0 && position % block == 0 && length % block == 0;
    }

    /** Writes {@code parts}, {@code length} bytes in all, at {@code position} (see {@link #fits}). */
    void write(ByteBuffer[] parts, int length, long position) throws IOException {
        ByteBuffer staging = STAGING.get();
        if (staging == null || staging.capacity() < length || staging.alignmentOffset(0, block) != 0) {
            // first use on this thread, a longer chunk, or a file system with larger blocks
            staging = ByteBuffer.allocateDirect(length + block).alignedSlice(block);
            STAGING.set(staging);
        }
        staging.clear();
        for (ByteBuffer part : parts) {
            staging.put(part.duplicate());
        }
        staging.flip();
        while (staging.hasRemaining()) {
            position += channel.write(staging, position);
        }
    }

    void close() throws IOException {
        channel.close();
    }

    void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // it wrote nothing more: the page cache path takes over
        }
    }
}
