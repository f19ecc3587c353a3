package dev.p2p.transfer.content;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One look at a file: its type, size, modification and change times and identity (device and
 * inode). Two equal stamps of a regular file with a known change time (ctime) mean nothing wrote
 * to it in between: every write, truncate and utimes call moves its ctime, which no user can set.
 *
 * <p>That lets a server send an indexed file's chunks without hashing them again, but only for a
 * file {@link #settles settled} when it was hashed, where the reasoning holds:
 * <ul>
 *   <li>its ctime is known (a Unix platform);</li>
 *   <li>it lies on a local disk file system ({@link #WRITEBACK_FILE_SYSTEMS}): the indexer fsyncs it
 *       before hashing, and writeback write-protects mapped pages, so a later write through a shared
 *       mapping faults and moves the ctime too (tmpfs never writes back; a network file system's
 *       times come from another machine's clock and cache);</li>
 *   <li>its ctime was at least {@link #SETTLE_NANOS} before that fsync: a write in the same
 *       timestamp tick as the one before would leave the ctime as it was ("racily clean" in git).</li>
 * </ul>
 * Any other file is hashed on every send, as is a settled one whose stamp no longer matches.
 */
public record FileStamp(boolean regular, long size, long mtimeNanos, long ctimeNanos, Object fileKey, long device) {
    /** How much older than its hashing a file's last change must be: above any file system's timestamp tick. */
    public static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** File systems whose ctime and writeback behave as described above. */
    public static final Set<String> WRITEBACK_FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs");
    /** Where a platform has no ctime. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    /** A stamp of {@code file}, not following a link in its last component. */
    public static FileStamp of(Path file) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:isRegularFile,size,lastModifiedTime,ctime,fileKey,dev",
                    LinkOption.NOFOLLOW_LINKS);
            return new FileStamp((Boolean) a.get("isRegularFile"), (Long) a.get("size"), nanos(a.get("lastModifiedTime")),
                    nanos(a.get("ctime")), a.get("fileKey"), (Long) a.get("dev"));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new FileStamp(a.isRegularFile(), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), UNKNOWN,
                    a.fileKey(), UNKNOWN);
        }
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }

    /**
     * Whether a file with this stamp, fsynced from {@code wallNanos} (nanoseconds since the epoch,
     * the clock file times use) on then hashed, may later be served on an equal stamp alone.
     *
     * @param fileSystemType what {@link java.nio.file.FileStore#type} says of the file's store
     */
    public boolean settles(long wallNanos, String fileSystemType) {
        return regular && ctimeNanos != UNKNOWN && WRITEBACK_FILE_SYSTEMS.contains(fileSystemType)
                && ctimeNanos < wallNanos - SETTLE_NANOS;
    }

    /** The same file, unwritten in between, as far as this platform can tell (never, without a ctime). */
    public boolean unwrittenSince(FileStamp earlier) {
        return ctimeNanos != UNKNOWN && equals(earlier);
    }

    /** The same size and modification time: what served content checks before every read. */
    public boolean sameSizeAndMtime(FileStamp earlier) {
        return regular && size == earlier.size && mtimeNanos == earlier.mtimeNanos;
    }
}
