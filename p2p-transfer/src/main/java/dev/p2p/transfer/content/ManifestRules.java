package dev.p2p.transfer.content;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The structural rules every manifest obeys, whether built locally or decoded from a peer. */
final class ManifestRules {
    static final int MAX_ENTRIES = 100_000;
    static final long MAX_TOTAL_CHUNKS = 1L << 22;
    static final long MAX_FILE_SIZE = 1L << 50;

    private ManifestRules() {}

    static void check(String name, boolean directory, int chunkSize, List<ManifestEntry> entries) {
        PathRules.checkComponent(name);
        if (Integer.bitCount(chunkSize) != 1 || chunkSize < Manifest.MIN_CHUNK_SIZE || chunkSize > Manifest.MAX_CHUNK_SIZE) {
            throw new ManifestException("chunk size " + chunkSize + " is not a power of two in ["
                    + Manifest.MIN_CHUNK_SIZE + ", " + Manifest.MAX_CHUNK_SIZE + "]");
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new ManifestException("more than " + MAX_ENTRIES + " entries");
        }
        if (!directory) {
            if (entries.size() != 1 || entries.get(0).directory() || !entries.get(0).path().isEmpty()) {
                throw new ManifestException("a single-file manifest has exactly one file entry with an empty path");
            }
        }
        long chunks = 0;
        byte[] previous = null;
        Set<String> files = new HashSet<>();
        for (ManifestEntry e : entries) {
            if (directory) {
                PathRules.checkRelativePath(e.path());
                byte[] p = e.path().getBytes(StandardCharsets.UTF_8);
                if (previous != null && Arrays.compareUnsigned(previous, p) >= 0) {
                    throw new ManifestException("entries are not sorted and unique at '" + e.path() + "'");
                }
                previous = p;
            }
            if (!e.directory()) {
                if (e.size() > MAX_FILE_SIZE) {
                    throw new ManifestException("file larger than 2^50 bytes");
                }
                chunks += chunkCount(e.size(), chunkSize);
                if (chunks > MAX_TOTAL_CHUNKS) {
                    throw new ManifestException("more than " + MAX_TOTAL_CHUNKS + " chunks in total");
                }
                files.add(e.path());
            }
        }
        if (directory) {
            checkNoFileIsAParent(entries, files);
        }
    }

    /** "a" as a file and "a/b" as another entry would need "a" to be both. */
    private static void checkNoFileIsAParent(List<ManifestEntry> entries, Set<String> files) {
        for (ManifestEntry e : entries) {
            String p = e.path();
            for (int i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
                if (files.contains(p.substring(0, i))) {
                    throw new ManifestException("'" + p.substring(0, i) + "' is both a file and a directory");
                }
            }
        }
    }

    static long chunkCount(long size, int chunkSize) {
        return (size + chunkSize - 1) / chunkSize;
    }
}
