package dev.p2p.cli.node;

import dev.p2p.dht.store.FileErrors;
import dev.p2p.dht.store.PrivateFiles;
import dev.p2p.dht.store.StateFiles;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The paths this node shares, kept in {@code shares.txt} in the data directory (one absolute path a
 * line) so a restart serves them again. A damaged file is set aside ({@link StateFiles}) and the
 * paths that could be read are kept, written back at once.
 */
public final class ShareBook {
    public static final String FILE_NAME = "shares.txt";
    private static final int MAX_SHARES = 100_000;
    private static final int MAX_FILE_BYTES = 64 << 20;

    private final Path file;
    private final Set<Path> paths = new LinkedHashSet<>();

    public ShareBook(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
        StateFiles.Lines read = StateFiles.readLines(file, MAX_FILE_BYTES);
        String damage = read.damage();
        for (String line : read.lines()) {
            Path p = absolutePath(line.trim());
            if (p == null) {
                damage = damage != null ? damage : "a line is not an absolute path";
            } else if (paths.size() < MAX_SHARES) {
                paths.add(p);
            }
        }
        if (damage != null && StateFiles.setAside(file, damage, "the node serves the " + paths.size()
                + " shares it could read; share the others again") != null) {
            try {
                save();
            } catch (IOException e) {
                StateFiles.warn(e.getMessage() + "; the shares are not remembered");
            }
        }
    }

    /** The file read by the same rules, without setting anything aside (for `p2p ls` while no node runs). */
    public static StateFiles.Lines peek(Path dataDir) {
        return StateFiles.readLines(dataDir.resolve(FILE_NAME), MAX_FILE_BYTES);
    }

    private static Path absolutePath(String line) {
        try {
            Path p = Path.of(line);
            return p.isAbsolute() ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    synchronized List<Path> paths() {
        return new ArrayList<>(paths);
    }

    synchronized void add(Path path) throws IOException {
        if (paths.add(path)) {
            save();
        }
    }

    /** Forgets {@code path}; false when it was not remembered. */
    public synchronized boolean remove(Path path) throws IOException {
        if (!paths.remove(path)) {
            return false;
        }
        save();
        return true;
    }

    private void save() throws IOException {
        StringBuilder s = new StringBuilder();
        for (Path p : paths) {
            s.append(p).append('\n');
        }
        try {
            PrivateFiles.writeAtomically(file, s.toString());
        } catch (IOException e) {
            throw new IOException("cannot write " + file + " (" + FileErrors.describe(e) + ")", e);
        }
    }
}
