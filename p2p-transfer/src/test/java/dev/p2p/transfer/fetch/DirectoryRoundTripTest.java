package dev.p2p.transfer.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.serve.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryRoundTripTest {
    @TempDir Path tmp;

    @Test
    void nestedFoldersEmptyFilesAndALargeFileRoundTripExactly() throws Exception {
        Path src = tmp.resolve("seed/album");
        Files.createDirectories(src.resolve("a/b/c"));
        Files.createDirectories(src.resolve("empty/dir"));
        Files.write(src.resolve("empty.txt"), new byte[0]);
        Files.write(src.resolve("a/b/c/empty-too"), new byte[0]);
        Files.writeString(src.resolve("a/readme.md"), "hello ünïcødé\n");
        Files.writeString(src.resolve("a/b/Zed.txt"), "upper case sorts first");
        Seeders.randomFile(src.resolve("a/b/c/large.bin"), (20L << 20) + 12345, 7);
        Seeders.randomFile(src.resolve("exactly-one-chunk.bin"), 256 * 1024, 8);
        List<Long> progress = new ArrayList<>();
        SharedContent content = new Indexer().index(src, (done, total) -> progress.add(done));
        long total = Files.size(src.resolve("a/b/c/large.bin")) + 256 * 1024 + Files.size(src.resolve("a/readme.md"))
                + Files.size(src.resolve("a/b/Zed.txt"));
        assertEquals(total, progress.get(progress.size() - 1));
        assertEquals(7, content.manifest().entries().size(), "6 files and one empty directory: " + content.manifest().entries());
        try (Seeders seeders = new Seeders(); Downloader d = AdversityTest.downloader()) {
            seeders.start(content, ServerConfig.DEFAULTS, 1);
            seeders.start(content, ServerConfig.DEFAULTS, 2);
            DownloadResult r = d.download(content.id(), seeders.addresses(), tmp.resolve("out"), DownloadListener.NONE);
            assertEquals(tmp.resolve("out/album").toAbsolutePath(), r.path());
            assertEquals(tree(src), tree(r.path()));
            try (Stream<Path> files = Files.walk(src)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    assertEquals(-1, Files.mismatch(p, r.path().resolve(src.relativize(p))), p.toString());
                }
            }
            assertTrue(Files.notExists(tmp.resolve("out/.p2p-partial")));
        }
    }

    /** Relative paths with a trailing '/' for directories, sorted. */
    private static List<String> tree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p) + (Files.isDirectory(p) ? "/" : "") + " " + size(p)).sorted().toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.isDirectory(p) ? 0 : Files.size(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
