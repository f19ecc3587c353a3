package dev.p2p.transfer.content;

import java.util.Arrays;

/**
 * One entry of a manifest: a file (size and Merkle root of its chunks) or an empty directory.
 * {@code path} is relative to the content's top-level name, '/'-separated; a single-file manifest
 * has one file entry whose path is empty.
 */
public record ManifestEntry(String path, boolean directory, long size, byte[] root) {
    public ManifestEntry {
        if (directory && (size != 0 || root != null)) {
            throw new IllegalArgumentException("a directory entry has no size or root");
        }
        if (!directory && (size < 0 || root == null || root.length != Hashes.BYTES)) {
            throw new IllegalArgumentException("a file entry has a size >= 0 and a 32-byte root");
        }
        root = root == null ? null : root.clone();
    }

    public static ManifestEntry file(String path, long size, byte[] root) {
        return new ManifestEntry(path, false, size, root);
    }

    public static ManifestEntry emptyDirectory(String path) {
        return new ManifestEntry(path, true, 0, null);
    }

    @Override
    public byte[] root() {
        return root == null ? null : root.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestEntry e && path.equals(e.path) && directory == e.directory
                && size == e.size && Arrays.equals(root, e.root);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Long.hashCode(size);
    }
}
