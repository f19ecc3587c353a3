package dev.p2p.transfer.content;

import dev.p2p.transfer.runtime.FileClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Stream;

/**
 * Hashes a file or directory tree once into {@link SharedContent}, which is then served from where
 * it lies (nothing is copied). Symbolic links are not followed and are refused (the shared path
 * itself, or any file or directory under it), so a share never reaches outside the shared tree;
 * files are opened without following links and must resolve to a real path under the tree's real
 * path, so a link swapped in while indexing is refused too. A file that changes while it is
 * hashed is an error. A {@link LeafCache} spares reading files unchanged since it saw them. Each
 * file's {@link FileStamp} is kept, and whether it settled, so that a server can tell whether to
 * hash a chunk again before it sends it.
 */
public final class Indexer {
    private final int chunkSize;
    private final LeafCache cache;
    private final Map<Long, String> fileSystemTypes = new HashMap<>();

    public Indexer() {
        this(Manifest.DEFAULT_CHUNK_SIZE);
    }

    public Indexer(int chunkSize) {
        this(chunkSize, LeafCache.NONE);
    }

    public Indexer(int chunkSize, LeafCache cache) {
        this.chunkSize = chunkSize;
        this.cache = cache;
    }

    public SharedContent index(Path path, IndexProgress progress) throws IOException {
        Path root = path.toAbsolutePath().normalize();
        if (root.getFileName() == null) {
            throw new IOException("cannot share the file system root");
        }
        String name = root.getFileName().toString();
        PathRules.checkComponent(name);
        BasicFileAttributes attrs = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isRegularFile()) {
            return hash(name, false, List.of(""), List.of(root), root.toRealPath(), progress);
        }
        if (!attrs.isDirectory()) {
            throw new IOException(root + " is neither a regular file nor a directory");
        }
        List<String> rels = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        Path realRoot = root.toRealPath();
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> all = walk.filter(p -> !p.equals(root)).toList();
            for (Path p : all) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                boolean emptyDir = a.isDirectory() && isEmptyDirectory(p);
                if (!a.isRegularFile() && !a.isDirectory()) {
                    throw new IOException(p + " is a link or special file; remove it or share its target instead");
                }
                if (a.isRegularFile() || emptyDir) {
                    String rel = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                    PathRules.checkRelativePath(rel);
                    rels.add(rel);
                    paths.add(a.isRegularFile() ? p : null);
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rels.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> rels.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.util.Arrays::compareUnsigned));
        return hash(name, true, order.stream().map(rels::get).toList(),
                order.stream().map(paths::get).toList(), realRoot, progress);
    }

    private static boolean isEmptyDirectory(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    private SharedContent hash(String name, boolean directory, List<String> rels, List<Path> paths, Path realRoot,
            IndexProgress progress) throws IOException {
        long total = 0;
        for (Path p : paths) {
            total += p == null ? 0 : Files.size(p);
        }
        List<ManifestEntry> entries = new ArrayList<>();
        FileStamp[] stamps = new FileStamp[paths.size()];
        boolean[] settled = new boolean[paths.size()];
        byte[][] leaves = new byte[paths.size()][];
        long[] done = {0};
        ByteBuffer buf = ByteBuffer.allocateDirect(chunkSize);
        MessageDigest md = Hashes.sha256();
        for (int i = 0; i < paths.size(); i++) {
            Path p = paths.get(i);
            if (p == null) {
                entries.add(ManifestEntry.emptyDirectory(rels.get(i)));
                continue;
            }
            FileStamp before = FileStamp.of(p);
            checkInside(p, before.regular(), realRoot);
            LeafCache.Stamp stamp = new LeafCache.Stamp(p.toRealPath().toString(), before.size(), before.mtimeNanos(),
                    before.ctimeNanos(), before.fileKey() == null ? "" : before.fileKey().toString(), chunkSize);
            LeafCache.Hashed known = cache.get(stamp);
            boolean settles;
            if (known != null && known.leaves().length == ManifestRules.chunkCount(before.size(), chunkSize) * Hashes.BYTES) {
                leaves[i] = known.leaves();
                settles = known.settled(); // the same ctime: unwritten since it was hashed
                done[0] += before.size();
                progress.progress(done[0], total);
            } else {
                settles = before.settles(FileClock.nowNanos(), fileSystemType(p, before));
                leaves[i] = hashFile(p, before.size(), settles, buf, md, done, total, progress);
                known = null;
            }
            FileStamp after = FileStamp.of(p);
            checkInside(p, after.regular(), realRoot);
            if (!after.sameSizeAndMtime(before)) {
                throw new IOException(p + " changed while it was being hashed; share it again when it is stable");
            }
            settles = settles && after.unwrittenSince(before);
            if (known == null) {
                cache.put(stamp, new LeafCache.Hashed(leaves[i], settles));
            }
            stamps[i] = after;
            settled[i] = settles;
            entries.add(ManifestEntry.file(rels.get(i), before.size(), MerkleTree.root(leaves[i])));
        }
        Manifest manifest = directory ? Manifest.directory(name, chunkSize, entries)
                : Manifest.file(name, chunkSize, entries.get(0).size(), entries.get(0).root());
        return new SharedContent(manifest, realRoot, paths, stamps, settled, leaves);
    }

    /** The type of the file system {@code p} lies on, looked up once per device. */
    private String fileSystemType(Path p, FileStamp stamp) {
        return fileSystemTypes.computeIfAbsent(stamp.device(), d -> {
            try {
                return Files.getFileStore(p).type();
            } catch (IOException e) {
                return "unknown";
            }
        });
    }

    /** A file to hash must be a regular file, not a link, whose real path is under the shared tree's. */
    private static void checkInside(Path p, boolean regular, Path realRoot) throws IOException {
        if (!regular || !p.toRealPath().startsWith(realRoot)) {
            throw new IOException(p + " is a link or leads outside " + realRoot + "; remove it or share its target instead");
        }
    }

    /** @param settles fsync first: writeback write-protects the file's mapped pages, so a later write moves its ctime ({@link FileStamp}) */
    private byte[] hashFile(Path p, long size, boolean settles, ByteBuffer buf, MessageDigest md, long[] done, long total,
            IndexProgress progress) throws IOException {
        int chunks = (int) ManifestRules.chunkCount(size, chunkSize);
        byte[] leaves = new byte[chunks * Hashes.BYTES];
        try (FileChannel ch = SharedContent.openForReading(p)) {
            if (settles) {
                ch.force(false);
            }
            for (int c = 0; c < chunks; c++) {
                int len = (int) Math.min(chunkSize, size - (long) c * chunkSize);
                buf.clear().limit(len);
                long pos = (long) c * chunkSize;
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw new IOException(p + " became shorter while it was being hashed");
                    }
                }
                buf.flip();
                System.arraycopy(Hashes.leaf(md, buf), 0, leaves, c * Hashes.BYTES, Hashes.BYTES);
                done[0] += len;
                progress.progress(done[0], total);
            }
        }
        return leaves;
    }
}
