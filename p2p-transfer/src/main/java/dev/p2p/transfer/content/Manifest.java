package dev.p2p.transfer.content;

import java.util.List;

/**
 * What a content id names: a single file or a directory tree. {@code name} is the top-level name
 * the download gets; entries are sorted by the UTF-8 bytes of their path, unique, and checked by
 * {@link PathRules}. Build with {@link #file} or {@link #directory}; decode from the network with
 * {@link ManifestCodec#decode}, which enforces the same rules.
 */
public record Manifest(String name, boolean directory, int chunkSize, List<ManifestEntry> entries) {
    public static final int DEFAULT_CHUNK_SIZE = 256 * 1024;
    public static final int MIN_CHUNK_SIZE = 16 * 1024;
    public static final int MAX_CHUNK_SIZE = 1024 * 1024;

    public Manifest {
        entries = List.copyOf(entries);
        ManifestRules.check(name, directory, chunkSize, entries);
    }

    public static Manifest file(String name, int chunkSize, long size, byte[] root) {
        return new Manifest(name, false, chunkSize, List.of(ManifestEntry.file("", size, root)));
    }

    public static Manifest directory(String name, int chunkSize, List<ManifestEntry> entries) {
        return new Manifest(name, true, chunkSize, entries);
    }

    /** Sum of file sizes. */
    public long totalSize() {
        long total = 0;
        for (ManifestEntry e : entries) {
            total += e.size();
        }
        return total;
    }
}
