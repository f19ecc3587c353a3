package dev.p2p.transfer.content;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Indexed content served in place: the manifest, its id, the chunk hashes of every file, and the
 * {@link FileStamp} each file had when it was hashed. A file whose size or mtime has changed since
 * is stale ({@link #isUnchanged}); the server stops serving the whole content then. A file that
 * settled when hashed and whose stamp is still the same was not written since
 * ({@link #unwrittenSinceIndexed}): its chunks need no hashing before they are sent.
 *
 * <p>Symbolic links are never followed out of the shared tree: a file that has become a link, or
 * whose real path (after resolving links in its parent directories) is no longer under the real
 * path the tree had when it was indexed, counts as changed. Files are opened with
 * {@link #openForReading}, which does not follow a link in the last component either.
 */
public final class SharedContent {
    private final ContentId id;
    private final byte[] manifestBytes;
    private final ChunkLayout layout;
    private final List<Path> files; // per entry; null for directory entries
    private final FileStamp[] stamps; // per entry, null for directory entries
    private final boolean[] settled; // per entry: FileStamp#settles held when it was hashed
    private final byte[][] leaves; // per entry, 32 bytes per chunk
    private final Path realRoot; // the shared file or directory, links resolved, when indexed
    private volatile boolean stale;

    SharedContent(Manifest manifest, Path realRoot, List<Path> files, FileStamp[] stamps, boolean[] settled, byte[][] leaves) {
        this.realRoot = realRoot;
        this.manifestBytes = ManifestCodec.encode(manifest);
        this.id = ContentId.ofManifest(manifestBytes);
        this.layout = new ChunkLayout(manifest);
        this.files = files;
        this.stamps = stamps.clone();
        this.settled = settled.clone();
        this.leaves = leaves;
    }

    /**
     * Content just downloaded and verified chunk by chunk into {@code root}: served from there
     * without hashing it again. {@code leaves} holds the leaf hash of every chunk, in order. Its
     * files were just written, so none has settled: chunks are hashed again before they are sent.
     */
    public static SharedContent ofDownloaded(Manifest manifest, Path root, byte[] leaves) throws IOException {
        ChunkLayout layout = new ChunkLayout(manifest);
        List<Path> files = new java.util.ArrayList<>();
        FileStamp[] stamps = new FileStamp[layout.entryCount()];
        byte[][] perEntry = new byte[layout.entryCount()][];
        for (int e = 0; e < layout.entryCount(); e++) {
            ManifestEntry entry = manifest.entries().get(e);
            Path p = manifest.directory() ? PathRules.resolveInside(root, entry.path()) : root;
            files.add(entry.directory() ? null : p);
            if (!entry.directory()) {
                stamps[e] = FileStamp.of(p);
                int from = layout.firstChunk(e) * Hashes.BYTES;
                perEntry[e] = Arrays.copyOfRange(leaves, from, from + layout.chunkCount(e) * Hashes.BYTES);
            }
        }
        return new SharedContent(manifest, root.toRealPath(), files, stamps, new boolean[stamps.length], perEntry);
    }

    public ContentId id() {
        return id;
    }

    public Manifest manifest() {
        return layout.manifest();
    }

    public ChunkLayout layout() {
        return layout;
    }

    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    public Path file(int entry) {
        return files.get(entry);
    }

    /** The 32-byte leaf hash of a global chunk. */
    public byte[] leafHash(int chunk) {
        int entry = layout.entryOf(chunk);
        int local = chunk - layout.firstChunk(entry);
        return Arrays.copyOfRange(leaves[entry], local * Hashes.BYTES, (local + 1) * Hashes.BYTES);
    }

    /** Leaf hashes {@code [first, first + count)} of one entry, concatenated. */
    public byte[] leafHashes(int entry, int first, int count) {
        return Arrays.copyOfRange(leaves[entry], first * Hashes.BYTES, (first + count) * Hashes.BYTES);
    }

    /**
     * True while the entry's path still names the regular file (not a link) that was hashed, with
     * the size and mtime it had when indexed.
     */
    public boolean isUnchanged(int entry) {
        return unchangedFileKey(entry) != null;
    }

    /**
     * As {@link #isUnchanged}: the file's key (device and inode, or a stand-in where the platform
     * has none) while unchanged, else null. Unchanged means the same size and mtime, and the path
     * still names the file that was hashed: the same key, or, on a platform without keys, a real
     * path under the shared tree's. A file replaced under the same name has changed.
     */
    public Object unchangedFileKey(int entry) {
        try {
            Path file = files.get(entry);
            FileStamp now = FileStamp.of(file);
            if (!now.sameSizeAndMtime(stamps[entry])) {
                return null;
            }
            Object hashed = stamps[entry].fileKey();
            if (hashed != null && now.fileKey() != null) {
                // The path still names the very file hashed (device and inode), wherever links in its
                // parents lead now: one stat, where resolving the real path took one per component.
                return hashed.equals(now.fileKey()) ? hashed : null;
            }
            return file.toRealPath().startsWith(realRoot) ? file : null; // a platform without file keys
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the entry's file {@link FileStamp#settles settled} when it was hashed. */
    public boolean settled(int entry) {
        return settled[entry];
    }

    /**
     * True if the entry's file settled when hashed, {@code readKey} (the key its path had before a
     * read) is the file hashed, and it is still that file, unwritten: bytes read from it before this
     * call are the bytes hashed. Call after the read.
     */
    public boolean unwrittenSinceIndexed(int entry, Object readKey) {
        if (!settled[entry] || !readKey.equals(stamps[entry].fileKey())) {
            return false;
        }
        try {
            return FileStamp.of(files.get(entry)).unwrittenSince(stamps[entry]);
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens a shared file for reading without following a link in its last component. */
    public static FileChannel openForReading(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** Once marked stale (a file changed), the content is not served until indexed again. */
    public void markStale() {
        stale = true;
    }

    public boolean isStale() {
        return stale;
    }
}
