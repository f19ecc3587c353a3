package dev.p2p.transfer.store;

import dev.p2p.dht.store.StateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;

/**
 * The on-disk record of verified chunks: an append-only file of 8-byte records
 * {@code u32 chunk, u32 ~chunk} (big-endian). A record is appended once the chunk's bytes were
 * written, not forced: what it lists is a claim that {@code PartialDownload} checks by hashing
 * each listed chunk again when it opens the download. Reading stops at the first damaged or
 * incomplete record. An incomplete last record is a crash mid-append: the file is truncated there.
 * A whole record that fails its check, or something else than a file in the journal's place, is
 * damage: the journal is set aside ({@link StateFiles}) and written anew with the chunks read
 * before it (the rest are fetched again).
 */
final class VerifiedJournal implements AutoCloseable {
    static final int RECORD = 8;
    private final FileChannel channel;

    private VerifiedJournal(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens (or creates) the journal and returns it with the chunks it lists in {@code into}. */
    static VerifiedJournal open(Path file, int chunkCount, BitSet into) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            StateFiles.setAside(file, "not a regular file", "every chunk of this download is fetched again");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long size = ch.size();
        long good = readRecords(ch, chunkCount, into);
        if (size - good >= RECORD) {
            ch.close();
            if (StateFiles.setAside(file, "a record fails its check after " + good / RECORD + " good ones",
                    "the chunks listed before it are kept, the others fetched again") != null) {
                VerifiedJournal fresh = new VerifiedJournal(FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE));
                fresh.append(into.stream().boxed().toList());
                return fresh;
            }
            ch = FileChannel.open(file, StandardOpenOption.WRITE);
        }
        ch.truncate(good);
        ch.position(good);
        return new VerifiedJournal(ch);
    }

    /** Reads records into {@code into} up to the first damaged or incomplete one; returns the bytes read. */
    private static long readRecords(FileChannel ch, int chunkCount, BitSet into) throws IOException {
        long size = ch.size();
        ByteBuffer buf = ByteBuffer.allocate(RECORD * 1024);
        long good = 0;
        while (good < size) {
            buf.clear();
            int n = ch.read(buf, good);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.remaining() >= RECORD) {
                int chunk = buf.getInt();
                int check = buf.getInt();
                if (check != ~chunk || chunk < 0 || chunk >= chunkCount) {
                    return good;
                }
                into.set(chunk);
                good += RECORD;
            }
            if (n < RECORD) {
                break;
            }
        }
        return good;
    }

    /** Appends records for {@code chunks} (not forced to disk: see the class comment). */
    void append(List<Integer> chunks) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(chunks.size() * RECORD);
        for (int c : chunks) {
            buf.putInt(c).putInt(~c);
        }
        buf.flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
