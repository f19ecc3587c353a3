package dev.p2p.node;

import dev.p2p.dht.store.FileErrors;
import dev.p2p.dht.store.PrivateFiles;
import dev.p2p.dht.store.StateFiles;
import dev.p2p.transfer.content.LeafCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The leaf hashes of shared files, kept in {@code hashes.txt} in the data directory so a restarted
 * node reads again only the files that changed (size, modification or change time, or inode). One
 * line per file: chunk size, size, modification and change times in nanoseconds, 1 if the file had
 * settled when hashed (else 0), then the file key, the real path and the leaves in hex,
 * tab-separated. A damaged file is set aside ({@link StateFiles}): the node then
 * hashes its shares again. Thread-safe.
 */
final class HashCache implements LeafCache {
    static final String FILE_NAME = "hashes.txt";
    private static final int MAX_ENTRIES = 100_000;
    private static final int MAX_FILE_BYTES = 512 << 20;
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;
    private final Map<Stamp, Hashed> entries = new LinkedHashMap<>(); // guarded by this
    private long bytesHashed; // guarded by this
    private long bytesFromCache; // guarded by this
    private boolean dirty; // guarded by this: put since the last save

    HashCache(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
        StateFiles.Lines read = StateFiles.readLines(file, MAX_FILE_BYTES);
        String damage = read.damage();
        for (String line : read.lines()) {
            if (!parse(line)) {
                damage = damage != null ? damage : "a line is not a file's hashes";
            }
        }
        if (damage != null && StateFiles.setAside(file, damage, "the node hashes its shares again") != null) {
            dirty = true;
            save();
        }
    }

    private boolean parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 8 || entries.size() >= MAX_ENTRIES || !(f[4].equals("0") || f[4].equals("1"))) {
            return false;
        }
        try {
            Stamp stamp = new Stamp(new String(HEX.parseHex(f[6]), StandardCharsets.UTF_8), Long.parseLong(f[1]),
                    Long.parseLong(f[2]), Long.parseLong(f[3]), new String(HEX.parseHex(f[5]), StandardCharsets.UTF_8),
                    Integer.parseInt(f[0]));
            byte[] leaves = HEX.parseHex(f[7]);
            if (stamp.size() < 0 || stamp.chunkSize() <= 0 || leaves.length % 32 != 0) {
                return false;
            }
            entries.put(stamp, new Hashed(leaves, f[4].equals("1")));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public synchronized Hashed get(Stamp stamp) {
        Hashed hashed = entries.get(stamp);
        if (hashed != null) {
            bytesFromCache += stamp.size();
        }
        return hashed;
    }

    @Override
    public synchronized void put(Stamp stamp, Hashed hashed) {
        bytesHashed += stamp.size();
        dirty = true;
        entries.entrySet().removeIf(e -> e.getKey().realPath().equals(stamp.realPath())); // the file's older version
        if (entries.size() < MAX_ENTRIES) {
            entries.put(stamp, new Hashed(hashed.leaves().clone(), hashed.settled()));
        }
    }

    /** Bytes read and hashed, and bytes whose hashes came from here, since the node started. */
    synchronized long[] counts() {
        return new long[] {bytesHashed, bytesFromCache};
    }

    /** Writes the cache (atomically) if a file was hashed since; a failure is one warning, the node hashes again after a restart. */
    synchronized void save() {
        if (!dirty) {
            return;
        }
        dirty = false;
        StringBuilder s = new StringBuilder();
        for (Map.Entry<Stamp, Hashed> e : entries.entrySet()) {
            Stamp k = e.getKey();
            s.append(k.chunkSize()).append('\t').append(k.size()).append('\t').append(k.mtimeNanos()).append('\t')
                    .append(k.ctimeNanos()).append('\t').append(e.getValue().settled() ? '1' : '0').append('\t')
                    .append(HEX.formatHex(k.fileKey().getBytes(StandardCharsets.UTF_8))).append('\t')
                    .append(HEX.formatHex(k.realPath().getBytes(StandardCharsets.UTF_8))).append('\t')
                    .append(HEX.formatHex(e.getValue().leaves())).append('\n');
        }
        try {
            PrivateFiles.writeAtomically(file, s.toString());
        } catch (IOException e) {
            StateFiles.warn("cannot write " + file + " (" + FileErrors.describe(e) + "); shares are hashed again after a restart");
        }
    }
}
