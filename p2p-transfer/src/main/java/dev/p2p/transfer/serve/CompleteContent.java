package dev.p2p.transfer.serve;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Hashes;
import dev.p2p.transfer.content.SharedContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Indexed content served in place. Before a chunk is sent, the file's size and mtime must be those
 * it was indexed with, and the bytes read must hash to the chunk's leaf unless the file settled
 * when indexed and was not written since ({@link SharedContent#unwrittenSinceIndexed}, checked
 * after the read); on any mismatch the content is marked stale and nothing is sent, now or later,
 * until it is indexed again.
 *
 * <p>The files last read stay open (at most {@link #OPEN_FILES}), so a chunk costs a positional
 * read and one stat of its path (after the read for a settled file, before it for any other), not
 * an open and a close as well. An open file is used only while its path still names the file
 * hashed (same file key) with the indexed size and mtime; a file replaced under its name has
 * changed, and the content goes stale as above. {@link #close} closes them.
 */
public final class CompleteContent implements ServedContent, AutoCloseable {
    /** Files kept open per served content; a directory of many files reopens the older ones. */
    static final int OPEN_FILES = 8;
    private final SharedContent content;
    private final Map<Integer, OpenFile> open = new LinkedHashMap<>(16, 0.75f, true) { // guarded by this
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, OpenFile> eldest) {
            if (size() <= OPEN_FILES) {
                return false;
            }
            closeQuietly(eldest.getValue().channel());
            return true;
        }
    };
    private boolean closed; // guarded by this

    private record OpenFile(FileChannel channel, Object fileKey) {}

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
        ByteBuf settled = readSettled(chunk, alloc);
        return settled != null ? settled : readChecked(chunk, alloc);
    }

    /**
     * A chunk of a settled file through the channel already open on the file hashed, with one stat
     * after the read: the stamp the file had when hashed means nothing wrote to it up to that stat,
     * so the bytes read are the bytes hashed, and a stat before the read would add nothing. Null when
     * that is not shown (no channel open yet, a file not settled, a stamp that moved):
     * {@link #readChecked} then decides.
     */
    private ByteBuf readSettled(int chunk, ByteBufAllocator alloc) {
        int entry = content.layout().entryOf(chunk);
        OpenFile f = content.settled(entry) ? openFile(entry) : null;
        if (f == null) {
            return null;
        }
        ByteBuf buf = ServedContent.chunkBuffer(alloc, content.layout().chunkLength(chunk));
        try {
            readChunk(f.channel(), chunk, buf);
            if (content.unwrittenSinceIndexed(entry, f.fileKey())) {
                return buf;
            }
        } catch (IOException e) {
            // closed, or shorter than indexed: the checked read decides
        }
        buf.release();
        return null;
    }

    /**
     * A chunk read after a stat that shows its path still names the file hashed, with the indexed
     * size and mtime, then hashed unless the file settled and was not written since.
     */
    private ByteBuf readChecked(int chunk, ByteBufAllocator alloc) {
        int entry = content.layout().entryOf(chunk);
        Object fileKey = content.unchangedFileKey(entry);
        if (fileKey == null) {
            stale();
            return null;
        }
        ByteBuf buf = ServedContent.chunkBuffer(alloc, content.layout().chunkLength(chunk));
        try {
            readChunk(channel(entry, fileKey), chunk, buf);
            if (!content.unwrittenSinceIndexed(entry, fileKey) && !Arrays.equals(Hashes.leaf(buf.nioBuffer()), content.leafHash(chunk))) {
                throw new IOException("chunk " + chunk + " no longer matches its hash");
            }
            return buf;
        } catch (ClosedChannelException e) {
            buf.release();
            return null; // closed by close(): no longer served from this object; the files did not change
        } catch (IOException e) {
            buf.release();
            stale();
            return null;
        }
    }

    /** Reads {@code chunk} from {@code ch} after {@code buf}'s readable bytes, and makes it readable. */
    private void readChunk(FileChannel ch, int chunk, ByteBuf buf) throws IOException {
        ChunkLayout layout = content.layout();
        int len = layout.chunkLength(chunk);
        readFully(ch, buf.nioBuffer(buf.writerIndex(), len), layout.offsetInFile(chunk));
        buf.writerIndex(buf.writerIndex() + len);
    }

    /** The file kept open for {@code entry}, if any and not closed. */
    private synchronized OpenFile openFile(int entry) {
        return closed ? null : open.get(entry);
    }

    /** The open channel of {@code entry} if its path still names the file with {@code fileKey}, else a new one. */
    private synchronized FileChannel channel(int entry, Object fileKey) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        OpenFile f = open.get(entry);
        if (f != null && f.fileKey().equals(fileKey)) {
            return f.channel();
        }
        if (f != null) {
            closeQuietly(f.channel()); // replaced under the same name: read the file the path names now
        }
        FileChannel ch = SharedContent.openForReading(content.file(entry));
        open.put(entry, new OpenFile(ch, fileKey));
        return ch;
    }

    private void stale() {
        content.markStale();
        close();
    }

    /** Closes the files kept open; reads after this return null. Never throws. */
    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(f -> closeQuietly(f.channel()));
        open.clear();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing was written; a failed close of a reader loses nothing
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
