package dev.p2p.transfer.bench;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.content.Hashes;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadConfig;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.fetch.Downloader;
import dev.p2p.transfer.fetch.Seeders;
import dev.p2p.transfer.serve.ServerConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Download rate from 1 and from 4 seeders on 127.0.0.1, against two limits measured in the same
 * run: SHA-256 on one core and a bare TLS loopback copy. Not a test; see docs/BENCHMARKS-transfer.md.
 * Arguments: [size in MiB (default 1024)] [work directory (default a temp dir)].
 */
public final class TransferBench {
    public static void main(String[] args) throws Exception {
        long size = (args.length > 0 ? Long.parseLong(args[0]) : 1024) << 20;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("transfer-bench");
        Path file = Seeders.randomFile(dir.resolve("seed/bench.bin"), size, 42);
        System.out.printf("size %d MiB, cores %d%n", size >> 20, Runtime.getRuntime().availableProcessors());
        sha256(128L << 20); // warm-up
        Rate sha = Rate.of(Math.min(size, 512L << 20), () -> sha256(Math.min(size, 512L << 20)));
        System.out.printf("limit  SHA-256 one core     %s%n", sha);
        TlsLoopback.measure(1L << 30); // warm-up: JIT the TLS path before measuring
        Rate tls = Rate.of(1L << 30, () -> TlsLoopback.measure(1L << 30));
        System.out.printf("limit  TLS loopback copy    %s%n", tls);
        SharedContent[] content = new SharedContent[1];
        System.out.printf("index                       %s%n", Rate.of(size, () -> content[0] = new Indexer().index(file, (d, t) -> {})));
        // Warm-up, not reported: the download path needs about 2 GiB before the JIT has settled
        // (CPU per byte falls by two thirds over the first 2 GiB, then stays flat).
        SharedContent warm = new Indexer().index(Seeders.randomFile(dir.resolve("warm/warm.bin"), 512L << 20, 1), (d, t) -> {});
        for (int i = 0; i < 4; i++) {
            download(warm, i % 2 == 0 ? 1 : 4, dir.resolve("out-warm-" + i));
            deleteTree(dir.resolve("out-warm-" + i));
        }
        for (int seeders : new int[] {1, 4}) {
            // The machine is shared: measure the TLS limit again right after each download, and
            // also compare bytes per CPU-second, which other processes do not distort.
            Rate dl = Rate.of(size, () -> download(content[0], seeders, dir.resolve("out-" + seeders)));
            Rate near = Rate.of(512L << 20, () -> TlsLoopback.measure(512L << 20));
            System.out.printf("download from %d seeder(s)   %s%n", seeders, dl);
            System.out.printf("   = %.0f%% of the TLS limit by wall time (%.0f%% against the TLS copy right after it),"
                    + " %.0f%% by CPU%n", 100 * dl.wall / Math.min(sha.wall, tls.wall),
                    100 * dl.wall / Math.min(sha.wall, near.wall), 100 * dl.perCpu / tls.perCpu);
        }
        deleteTree(dir);
    }

    /** A rate by wall time and per CPU-second of this whole process (all threads, both ends). */
    record Rate(double wall, double perCpu) {
        interface Work {
            Object run() throws Exception;
        }

        static Rate of(long bytes, Work work) throws Exception {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            work.run();
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            return new Rate(bytes * 1e9 / wall, bytes * 1e9 / Math.max(1, cpu));
        }

        @Override
        public String toString() {
            return String.format("%8.1f MB/s wall, %8.1f MB per CPU-second", wall / 1e6, perCpu / 1e6);
        }
    }

    private static Object sha256(long bytes) {
        ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        MessageDigest md = Hashes.sha256();
        for (long done = 0; done < bytes; done += buf.capacity()) {
            Hashes.leaf(md, buf.clear());
        }
        return md;
    }

    private static double download(SharedContent content, int seeders, Path out) throws Exception {
        try (Seeders s = new Seeders();
                Downloader d = new Downloader(Identity.generate(new Random(7)), DownloadConfig.DEFAULTS)) {
            for (int i = 0; i < seeders; i++) {
                s.start(content, ServerConfig.DEFAULTS, 10 + i);
            }
            DownloadResult r = d.download(content.id(), s.addresses(), out, DownloadListener.NONE);
            return r.bytesPerSecond();
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
