package dev.p2p.transfer.content;

import java.util.Arrays;
import java.util.List;

/**
 * Numbers the chunks of a manifest globally: entry by entry, each file cut at multiples of the
 * chunk size (chunks never span files, as in BitTorrent v2). Directory entries and empty files
 * have no chunks.
 */
public final class ChunkLayout {
    private final Manifest manifest;
    private final int[] firstChunk; // per entry
    private final int[] chunkCounts; // per entry
    private final int totalChunks;

    public ChunkLayout(Manifest manifest) {
        this.manifest = manifest;
        List<ManifestEntry> entries = manifest.entries();
        firstChunk = new int[entries.size()];
        chunkCounts = new int[entries.size()];
        int next = 0;
        for (int i = 0; i < entries.size(); i++) {
            ManifestEntry e = entries.get(i);
            firstChunk[i] = next;
            chunkCounts[i] = e.directory() ? 0 : (int) ManifestRules.chunkCount(e.size(), manifest.chunkSize());
            next += chunkCounts[i];
        }
        totalChunks = next;
    }

    public Manifest manifest() {
        return manifest;
    }

    public int totalChunks() {
        return totalChunks;
    }

    public int chunkSize() {
        return manifest.chunkSize();
    }

    public int entryCount() {
        return firstChunk.length;
    }

    public int firstChunk(int entry) {
        return firstChunk[entry];
    }

    public int chunkCount(int entry) {
        return chunkCounts[entry];
    }

    /** The entry holding global chunk {@code chunk}. */
    public int entryOf(int chunk) {
        if (chunk < 0 || chunk >= totalChunks) {
            throw new IndexOutOfBoundsException("chunk " + chunk + " of " + totalChunks);
        }
        int i = Arrays.binarySearch(firstChunk, chunk);
        if (i < 0) {
            i = -i - 2;
        }
        while (chunkCounts[i] == 0) { // several entries can share a first index when some are empty
            i++;
        }
        return i;
    }

    /** Byte offset of {@code chunk} inside its file. */
    public long offsetInFile(int chunk) {
        return (long) (chunk - firstChunk[entryOf(chunk)]) * manifest.chunkSize();
    }

    /** Length in bytes of {@code chunk} (the last chunk of a file may be short). */
    public int chunkLength(int chunk) {
        int entry = entryOf(chunk);
        long size = manifest.entries().get(entry).size();
        long offset = (long) (chunk - firstChunk[entry]) * manifest.chunkSize();
        return (int) Math.min(manifest.chunkSize(), size - offset);
    }
}
