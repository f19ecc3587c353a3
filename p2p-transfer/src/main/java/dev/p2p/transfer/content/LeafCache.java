package dev.p2p.transfer.content;

/**
 * Leaf hashes remembered from an earlier indexing, so {@link Indexer} reads again only files
 * that changed. An entry holds only while the file is the same: same real path, size,
 * modification and change times and file identity (inode), and the same chunk size. Since no
 * write leaves the change time as it was, a file that had settled when hashed ({@link FileStamp})
 * is settled still.
 */
public interface LeafCache {
    LeafCache NONE = new LeafCache() {
        @Override
        public Hashed get(Stamp stamp) {
            return null;
        }

        @Override
        public void put(Stamp stamp, Hashed hashed) {}
    };

    /**
     * What a file was when its leaves were hashed.
     *
     * @param mtimeNanos modification time, nanoseconds since the epoch
     * @param ctimeNanos change time, nanoseconds since the epoch ({@link FileStamp#UNKNOWN} where the platform has none)
     * @param fileKey the file system's identity of the file (device and inode), or "" where it has none
     */
    record Stamp(String realPath, long size, long mtimeNanos, long ctimeNanos, String fileKey, int chunkSize) {}

    /**
     * What hashing a file gave: its leaves (32 bytes per chunk), and whether it had settled then
     * (so a server may send its chunks without hashing them again).
     */
    record Hashed(byte[] leaves, boolean settled) {}

    /** What was hashed for a file with this stamp, or null. */
    Hashed get(Stamp stamp);

    /** Remembers what was just hashed for a file with this stamp. */
    void put(Stamp stamp, Hashed hashed);
}
