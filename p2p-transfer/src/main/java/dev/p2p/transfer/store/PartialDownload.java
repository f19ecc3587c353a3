package dev.p2p.transfer.store;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Hashes;
import dev.p2p.transfer.content.Manifest;
import dev.p2p.transfer.content.ManifestEntry;
import dev.p2p.transfer.content.PathRules;
import dev.p2p.transfer.content.Selection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A download in progress, on disk under {@code <outputDir>/.p2p-partial/<content id>/}: the
 * content being assembled ({@code content}, a file or a directory tree) and the journal of
 * verified chunks. Chunks are written in place only after they were verified; {@link #commit}
 * journals the chunks written so far and returns them; a chunk the journal lists counts only
 * once its bytes hash to its leaf again when the download is opened. {@link #finish} forces the
 * files to disk and moves the complete content to {@code <outputDir>/<name>} with one atomic
 * rename, so nothing incomplete ever has the final name. A download of a {@link Selection} of a
 * directory's files creates and publishes only those: each moves to
 * {@code <outputDir>/<name>/<path>} by its own atomic rename (so a later download of other files
 * of the same directory adds to it). Every path comes from a checked manifest and is resolved
 * with {@link PathRules#resolveInside}, so nothing is written outside the download directory.
 *
 * <p>Thread-safe: methods synchronise on this object (see {@link #commit} for the one exception).
 */
public final class PartialDownload implements AutoCloseable {
    public static final String PARTIAL_DIR = ".p2p-partial";
    /**
     * Files kept open for writing; chunks of further files open and close their file per write.
     * A kept file's whole, block-aligned chunks go past the page cache ({@link DirectWriter}).
     */
    static final int OPEN_WRITERS = 8;
    /** Written bytes after which {@link #flushDue} says a flush should start. */
    static final long FLUSH_BYTES = 32L << 20;

    private final ChunkLayout layout;
    private final Path outputDir;
    private final Path stateDir;
    private final Path contentPath;
    private final Path[] files; // per entry, null for directories and for files neither selected nor left by an earlier run
    private final BitSet selected; // entries
    private final BitSet verified = new BitSet();
    private final List<Integer> written = new ArrayList<>(); // verified, written, not yet journaled
    private final Object commitLock = new Object();
    private final VerifiedJournal journal;
    private final FileChannel lockChannel;
    private final FileChannel[] writers; // per entry, opened on first write, at most OPEN_WRITERS; guarded by this
    private final DirectWriter[] directWriters; // beside writers[entry] where the filesystem has O_DIRECT; guarded by this
    private int openWriters; // guarded by this
    private boolean closed; // guarded by this
    private long unflushed; // bytes written since the last flush began; guarded by this
    private boolean flushing; // guarded by this

    private PartialDownload(ChunkLayout layout, Path outputDir, Path stateDir, VerifiedJournal journal,
            FileChannel lockChannel, Path contentPath, Path[] files, BitSet selected) {
        this.layout = layout;
        this.outputDir = outputDir;
        this.stateDir = stateDir;
        this.journal = journal;
        this.lockChannel = lockChannel;
        this.contentPath = contentPath;
        this.files = files;
        this.selected = selected;
        this.writers = new FileChannel[files.length];
        this.directWriters = new DirectWriter[files.length];
    }

    /**
     * Opens or resumes the partial download of {@code id}. Chunks the journal lists are hashed
     * again against {@code leafHashes} (one 32-byte hash per global chunk) and kept only if they
     * still match.
     */
    public static PartialDownload open(Path outputDir, ContentId id, ChunkLayout layout, byte[] leafHashes)
            throws IOException {
        return open(outputDir, id, layout, leafHashes, Selection.ALL);
    }

    /** As {@link #open(Path, ContentId, ChunkLayout, byte[])}, for the entries {@code selection} names. */
    public static PartialDownload open(Path outputDir, ContentId id, ChunkLayout layout, byte[] leafHashes,
            Selection selection) throws IOException {
        Path out = outputDir.toAbsolutePath().normalize();
        Path stateDir = PathRules.resolveInside(out, PARTIAL_DIR + "/" + id.toText());
        Files.createDirectories(stateDir);
        FileChannel lock = lockExclusively(stateDir.resolve("lock"));
        try {
            return open(out, stateDir, lock, layout, leafHashes, selection.entries(layout.manifest()));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** One download of a content per output directory at a time, across processes too. */
    private static FileChannel lockExclusively(Path lockFile) throws IOException {
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (ch.tryLock() != null) {
                return ch;
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // held by this process
        }
        ch.close();
        throw new IOException("this content is already being downloaded into " + lockFile.getParent().getParent().getParent());
    }

    private static PartialDownload open(Path out, Path stateDir, FileChannel lock, ChunkLayout layout, byte[] leafHashes,
            BitSet selected) throws IOException {
        Manifest m = layout.manifest();
        Path contentPath = stateDir.resolve("content");
        Path[] files = new Path[m.entries().size()];
        if (m.directory()) {
            Files.createDirectories(contentPath);
        }
        for (int i = 0; i < files.length; i++) {
            ManifestEntry e = m.entries().get(i);
            Path p = m.directory() ? PathRules.resolveInside(contentPath, e.path()) : contentPath;
            if (!selected.get(i)) {
                if (!e.directory() && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    files[i] = p; // from an earlier download of other files: its verified chunks still count
                }
                continue;
            }
            if (e.directory()) {
                Files.createDirectories(p);
                continue;
            }
            Files.createDirectories(p.getParent());
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                if (ch.size() != e.size()) {
                    ch.truncate(Math.min(ch.size(), e.size()));
                    if (e.size() > 0 && ch.size() < e.size()) {
                        ch.write(ByteBuffer.allocate(1), e.size() - 1); // sparse up to full size
                    }
                }
            }
            files[i] = p;
        }
        BitSet listed = new BitSet();
        VerifiedJournal journal = VerifiedJournal.open(stateDir.resolve("verified.journal"), layout.totalChunks(), listed);
        PartialDownload d = new PartialDownload(layout, out, stateDir, journal, lock, contentPath, files, selected);
        d.recheck(listed, leafHashes);
        return d;
    }

    private void recheck(BitSet listed, byte[] leafHashes) throws IOException {
        MessageDigest md = Hashes.sha256();
        ByteBuffer buf = ByteBuffer.allocate(layout.chunkSize());
        for (int c = listed.nextSetBit(0); c >= 0; c = listed.nextSetBit(c + 1)) {
            if (files[layout.entryOf(c)] == null) {
                continue;
            }
            read(c, buf);
            byte[] h = Hashes.leaf(md, buf);
            if (Arrays.equals(h, 0, 32, leafHashes, c * 32, c * 32 + 32)) {
                verified.set(c);
            }
        }
    }

    private void read(int chunk, ByteBuffer buf) throws IOException {
        buf.clear().limit(layout.chunkLength(chunk));
        long pos = layout.offsetInFile(chunk);
        try (FileChannel ch = FileChannel.open(files[layout.entryOf(chunk)], StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf, pos + buf.position()) >= 0) {
                // keep reading
            }
        }
        buf.flip();
    }

    /**
     * Reads a committed chunk back into {@code buf} (for serving it to others while the download
     * goes on). False if it is not committed or can no longer be read (the download finished).
     */
    public boolean readCommitted(int chunk, ByteBuffer buf) {
        synchronized (this) {
            if (!verified.get(chunk)) {
                return false;
            }
        }
        try {
            read(chunk, buf);
            return buf.remaining() == layout.chunkLength(chunk);
        } catch (IOException e) {
            return false;
        }
    }

    /** Chunks verified and journaled. */
    public synchronized BitSet verified() {
        return (BitSet) verified.clone();
    }

    /**
     * Writes a verified chunk in place; it is journaled by the next {@link #commit}. Writes of
     * different chunks may run at the same time (the bytes are written outside the lock).
     */
    public void write(int chunk, ByteBuffer data) throws IOException {
        write(chunk, new ByteBuffer[] {data});
    }

    /** As {@link #write(int, ByteBuffer)}, for a chunk whose bytes lie in several buffers, in order. */
    public void write(int chunk, ByteBuffer[] parts) throws IOException {
        int entry = layout.entryOf(chunk);
        long length = 0;
        for (ByteBuffer part : parts) {
            length += part.remaining();
        }
        if (length != layout.chunkLength(chunk)) {
            throw new IllegalArgumentException("chunk " + chunk + " has the wrong length");
        }
        long pos = layout.offsetInFile(chunk);
        FileChannel kept = writer(entry);
        if (kept == null) {
            try (FileChannel ch = FileChannel.open(files[entry], StandardOpenOption.WRITE)) {
                writeFully(ch, parts, pos);
            }
        } else if (!writeDirect(entry, parts, length, pos)) {
            writeFully(kept, parts, pos);
        }
        synchronized (this) {
            written.add(chunk);
            unflushed += length;
        }
    }

    /**
     * The channel kept open for writing {@code entry}, opened now if fewer than
     * {@link #OPEN_WRITERS} are open; null when the caller must open the file itself. Kept
     * channels are closed only by {@link #close}, never while a write may use them.
     */
    private synchronized FileChannel writer(int entry) throws IOException {
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        if (writers[entry] == null && openWriters < OPEN_WRITERS) {
            writers[entry] = FileChannel.open(files[entry], StandardOpenOption.WRITE);
            directWriters[entry] = DirectWriter.open(files[entry]);
            openWriters++;
        }
        return writers[entry];
    }

    /**
     * Writes the chunk through {@code entry}'s {@link DirectWriter} when it has one and the chunk
     * fits it. A filesystem that opened the file for O_DIRECT and then refuses such a write loses
     * its direct writer, and the caller writes through the page cache (which reports a real error).
     */
    private boolean writeDirect(int entry, ByteBuffer[] parts, long length, long pos) {
        DirectWriter direct;
        synchronized (this) {
            direct = directWriters[entry];
        }
        if (direct == null || !direct.fits(pos, length)) {
            return false;
        }
        try {
            direct.write(parts, (int) length, pos);
            return true;
        } catch (IOException e) {
            synchronized (this) {
                if (directWriters[entry] == direct) {
                    directWriters[entry] = null;
                }
            }
            direct.closeQuietly();
            return false;
        }
    }

    /**
     * One gathering write (writev) for a chunk that arrived in several buffers: a chunk off the wire
     * is about 16 TLS records, and one system call instead of 16 halves the kernel's cost per byte
     * on ext4. FileChannel has no positional gathering write, so the channel's position is set
     * under its lock; reads never use these channels.
     */
    private static void writeFully(FileChannel ch, ByteBuffer[] parts, long pos) throws IOException {
        if (parts.length == 1) {
            for (ByteBuffer data = parts[0]; data.hasRemaining(); ) {
                pos += ch.write(data, pos);
            }
            return;
        }
        long left = 0;
        for (ByteBuffer part : parts) {
            left += part.remaining();
        }
        synchronized (ch) {
            ch.position(pos);
            while (left > 0) {
                left -= ch.write(parts);
            }
        }
    }

    /**
     * Claims a flush when {@link #FLUSH_BYTES} were written since the last one began and none
     * runs; the caller then runs {@link #flushWritten}, off the thread that writes.
     */
    public synchronized boolean claimFlush() {
        if (unflushed < FLUSH_BYTES || flushing || closed) {
            return false;
        }
        flushing = true;
        unflushed = 0;
        return true;
    }

    /**
     * Runs a claimed flush: forces the bytes written so far to the disk while writes go on.
     * Nothing depends on it (see {@link #commit}); it spreads the disk's work over the download,
     * so the one forced write in {@link #finish} has little left to do (on the benchmark machine
     * that one took 0.5 s for 1 GiB written with no flush before it). Returns quietly if the
     * download closes meanwhile.
     */
    public void flushWritten() throws IOException {
        List<FileChannel> open = new ArrayList<>();
        synchronized (this) {
            for (FileChannel ch : writers) {
                if (ch != null) {
                    open.add(ch);
                }
            }
        }
        try {
            for (FileChannel ch : open) {
                ch.force(false);
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            // closed by close(): the download ended or was published, which forced what counts
        } finally {
            synchronized (this) {
                flushing = false;
            }
        }
    }

    /**
     * Journals the chunks written since the last commit and returns them. Their bytes are not
     * forced to the disk first: every chunk the journal lists is hashed again when the download
     * is opened ({@link #recheck}), so a chunk whose bytes a power loss took is only fetched
     * again, and a killed process loses nothing it wrote. A forced write per commit stalled
     * every write to the disk while it ran (on the benchmark machine about 80 ms of every 300);
     * {@link #finish} forces the files once, before they get their final name. Commits are
     * serialised among themselves; writes go on meanwhile.
     */
    public List<Integer> commit() throws IOException {
        synchronized (commitLock) {
            List<Integer> chunks;
            synchronized (this) {
                chunks = List.copyOf(written);
                written.clear();
            }
            if (chunks.isEmpty()) {
                return chunks;
            }
            journal.append(chunks);
            synchronized (this) {
                for (int c : chunks) {
                    verified.set(c);
                }
            }
            return chunks;
        }
    }

    /**
     * Publishes the complete content as {@code <outputDir>/<name>} by atomic rename and removes
     * the partial state. Refuses to replace anything that already has that name.
     */
    public Path finish() throws IOException {
        commit();
        synchronized (this) {
            return publish();
        }
    }

    private Path publish() throws IOException {
        if (!selectedComplete()) {
            throw new IllegalStateException("download is not complete");
        }
        Path target = PathRules.resolveInside(outputDir, layout.manifest().name());
        if (selected.cardinality() < files.length) {
            return publishSelected(target);
        }
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "already exists; move it away and run the download again (it will resume)");
        }
        for (Path f : files) {
            if (f != null) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
        }
        closeWriters(); // no file of the content is open when it moves (some platforms refuse that)
        Files.move(contentPath, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(outputDir);
        close();
        deleteTree(stateDir);
        removeIfEmpty(stateDir.getParent());
        return target;
    }

    private boolean selectedComplete() {
        for (int i = selected.nextSetBit(0); i >= 0; i = selected.nextSetBit(i + 1)) {
            int first = layout.firstChunk(i);
            int end = first + layout.chunkCount(i);
            if (verified.nextClearBit(first) < end) {
                return false;
            }
        }
        return true;
    }

    /** Moves each selected file into {@code target}, refusing before any move if one is there already. */
    private Path publishSelected(Path target) throws IOException {
        List<ManifestEntry> entries = layout.manifest().entries();
        for (int i = selected.nextSetBit(0); i >= 0; i = selected.nextSetBit(i + 1)) {
            Path dest = PathRules.resolveInside(target, entries.get(i).path());
            if (!entries.get(i).directory() && Files.exists(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(dest.toString(), null,
                        "already exists; move it away and run the download again (it will resume)");
            }
        }
        closeWriters();
        Files.createDirectories(target);
        for (int i = selected.nextSetBit(0); i >= 0; i = selected.nextSetBit(i + 1)) {
            Path dest = PathRules.resolveInside(target, entries.get(i).path());
            if (entries.get(i).directory()) {
                Files.createDirectories(dest);
                continue;
            }
            try (FileChannel ch = FileChannel.open(files[i], StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.createDirectories(dest.getParent());
            Files.move(files[i], dest, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(dest.getParent());
        }
        fsyncDirectory(outputDir);
        close();
        deleteTree(stateDir);
        removeIfEmpty(stateDir.getParent());
        return target;
    }

    /**
     * Deletes what a download of {@code id} into {@code outputDir} kept (its partial content and
     * journal), for a download given up; nothing when there is none. Not while the download runs.
     */
    public static void discard(Path outputDir, ContentId id) throws IOException {
        Path out = outputDir.toAbsolutePath().normalize();
        Path stateDir = PathRules.resolveInside(out, PARTIAL_DIR + "/" + id.toText());
        if (Files.exists(stateDir)) {
            deleteTree(stateDir);
            removeIfEmpty(stateDir.getParent());
        }
    }

    private static void removeIfEmpty(Path partialRoot) throws IOException {
        try (Stream<Path> s = Files.list(partialRoot)) {
            if (s.findAny().isEmpty()) {
                Files.deleteIfExists(partialRoot);
            }
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some platforms cannot open directories; the rename is still atomic
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(all::add);
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }

    /** Closes the kept write channels; writes after this fail. */
    private synchronized void closeWriters() throws IOException {
        closed = true;
        for (int i = 0; i < writers.length; i++) {
            if (writers[i] != null) {
                writers[i].close();
                writers[i] = null;
            }
            if (directWriters[i] != null) {
                directWriters[i].close();
                directWriters[i] = null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (commitLock) {
            closeWriters();
            journal.close();
            lockChannel.close(); // releases the lock
        }
    }
}
