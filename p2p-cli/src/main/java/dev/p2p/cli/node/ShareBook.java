package dev.p2p.cli.node;

import dev.p2p.dht.store.FileErrors;
import dev.p2p.dht.store.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The paths this node shares, kept in {@code shares.txt} in the data directory so a restart serves them again. */
final class ShareBook {
    static final String FILE_NAME = "shares.txt";
    private static final int MAX_SHARES = 100_000;

    private final Path file;
    private final Set<Path> paths = new LinkedHashSet<>();

    ShareBook(Path dataDir) throws IOException {
        this.file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && paths.size() < MAX_SHARES) {
                    paths.add(Path.of(line.trim()));
                }
            }
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

    synchronized void remove(Path path) throws IOException {
        if (paths.remove(path)) {
            save();
        }
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
