package dev.p2p.transfer.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.TransferServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A downloader JVM killed with SIGKILL at random moments resumes without fetching verified chunks again. */
class CrashResumeTest {
    @TempDir Path tmp;

    @Test
    void killedDownloaderResumesAndFinishesByteIdentical() throws Exception {
        long size = 40L << 20;
        Path file = Seeders.randomFile(tmp.resolve("seed/movie.bin"), size, 11);
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        Path out = tmp.resolve("out");
        Path target = out.resolve("movie.bin");
        Random random = new Random(2024);
        int kills = 4;
        try (Seeders seeders = new Seeders()) {
            TransferServer seeder = seeders.start(content, ServerConfig.DEFAULTS.withUploadRate(8L << 20), 1);
            String peer = seeder.address().toString();
            for (int i = 0; i < kills; i++) {
                Process p = start(content.id().toText(), peer, out);
                long killAt = size * (i + 1) / (kills + 2) + random.nextInt(4 << 20);
                waitForProgress(p, killAt);
                p.destroyForcibly();
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                assertFalse(Files.exists(target), "nothing incomplete has the final name (kill " + i + ")");
            }
            long beforeLast = seeder.bytesUploaded();
            assertTrue(beforeLast > size / 4, "kills landed mid-download, after " + beforeLast + " bytes");
            Process last = start(content.id().toText(), peer, out);
            assertTrue(last.waitFor(60, TimeUnit.SECONDS), "final run finishes");
            assertTrue(beforeLast < size, "the last run had work left");
            List<String> lines = last.inputReader(StandardCharsets.UTF_8).lines().toList();
            String output = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            assertEquals(0, last.exitValue(), output);
            assertEquals(-1, Files.mismatch(file, target));
            String[] done = output.trim().split(" ");
            assertEquals("DONE", done[0], output);
            assertTrue(Long.parseLong(done[1]) > 0, "the last run resumed: " + output);
            long total = seeder.bytesUploaded();
            assertTrue(total <= size + kills * (4L << 20), "sent " + total + " for a file of " + size);
            assertTrue(Files.notExists(out.resolve(".p2p-partial")));
        }
    }

    /** Reads the child's progress lines until it has verified {@code bytes} (or stops talking). */
    private static void waitForProgress(Process p, long bytes) throws Exception {
        java.io.BufferedReader in = p.inputReader(StandardCharsets.UTF_8);
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("P ") && Long.parseLong(line.substring(2)) >= bytes) {
                return;
            }
        }
    }

    private static Process start(String id, String peer, Path out) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                DownloadMain.class.getName(), id, peer, out.toString()))
                .redirectErrorStream(true).start();
    }
}
