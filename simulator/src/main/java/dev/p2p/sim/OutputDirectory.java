package dev.p2p.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a run's files go. Checked before the run, so an hour-long simulation never ends in
 * "cannot write"; each file is written beside its final name and renamed into place, so a full
 * disk or a killed run never leaves half a summary.json for a script to read.
 */
final class OutputDirectory {
    private final Path dir;

    private OutputDirectory(Path dir) {
        this.dir = dir;
    }

    /** Creates {@code dir} if needed and proves a file can be written there. */
    static OutputDirectory prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
        Files.delete(probe);
        return new OutputDirectory(dir);
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Replaces {@code name} with {@code text} whole, or leaves it as it was. */
    void write(String name, String text) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
