package dev.p2p.transfer.content;

/**
 * Leaf hashes remembered from an earlier indexing, so {@link Indexer} reads again only files
 * that changed. An entry holds only while the file is the same: same real path, size,
 * modification time and file identity (inode), and the same chunk size.
 */
public interface LeafCache {
    LeafCache NONE = new LeafCache() {
        @Override
        public byte[] leaves(Stamp stamp) {
            return null;
        }

        @Override
        public void put(Stamp stamp, byte[] leaves) {}
    };

    /**
     * What a file was when its leaves were hashed.
     *
     * @param mtimeNanos modification time, nanoseconds since the epoch
     * @param fileKey the file system's identity of the file (device and inode), or "" where it has none
     */
    record Stamp(String realPath, long size, long mtimeNanos, String fileKey, int chunkSize) {}

    /** The leaves (32 bytes per chunk) hashed for a file with this stamp, or null. */
    byte[] leaves(Stamp stamp);

    /** Remembers the leaves just hashed for a file with this stamp. */
    void put(Stamp stamp, byte[] leaves);
}
