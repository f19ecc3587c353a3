package dev.p2p.transfer.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;

/**
 * The on-disk record of verified chunks: an append-only file of 8-byte records
 * {@code u32 chunk, u32 ~chunk} (big-endian). A record is appended only after the chunk's bytes
 * were fsynced, so whatever the journal lists is on disk. Reading stops at the first damaged or
 * incomplete record (a crash mid-append) and truncates the file there.
 */
final class VerifiedJournal implements AutoCloseable {
    static final int RECORD = 8;
    private final FileChannel channel;

    private VerifiedJournal(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens (or creates) the journal and returns it with the chunks it lists in {@code into}. */
    static VerifiedJournal open(Path file, int chunkCount, BitSet into) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long size = ch.size();
        ByteBuffer buf = ByteBuffer.allocate(RECORD * 1024);
        long good = 0;
        long pos = 0;
        outer:
        while (pos < size) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.remaining() >= RECORD) {
                int chunk = buf.getInt();
                int check = buf.getInt();
                if (check != ~chunk || chunk < 0 || chunk >= chunkCount) {
                    break outer;
                }
                into.set(chunk);
                good += RECORD;
            }
            pos = good;
            if (n < RECORD) {
                break;
            }
        }
        ch.truncate(good);
        ch.position(good);
        return new VerifiedJournal(ch);
    }

    /** Appends records for {@code chunks} and forces them to disk. */
    void append(List<Integer> chunks) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(chunks.size() * RECORD);
        for (int c : chunks) {
            buf.putInt(c).putInt(~c);
        }
        buf.flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
