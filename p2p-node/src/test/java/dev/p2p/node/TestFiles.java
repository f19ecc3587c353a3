package dev.p2p.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

public final class TestFiles {
    private TestFiles() {}

    /** A file of {@code size} bytes drawn from {@code seed}. */
    public static Path random(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        Random r = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                r.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }
}
