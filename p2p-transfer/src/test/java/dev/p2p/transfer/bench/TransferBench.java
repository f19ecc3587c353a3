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
        double sha = sha256Rate(Math.min(size, 512L << 20));
        TlsLoopback.measure(256L << 20); // warm-up: JIT the TLS path before measuring
        double tls = TlsLoopback.measure(Math.min(size, 1L << 30));
        double limit = Math.min(sha, tls);
        System.out.printf("size %d MiB, cores %d%n", size >> 20, Runtime.getRuntime().availableProcessors());
        System.out.printf("limit  SHA-256 one core     %8.1f MB/s%n", sha / 1e6);
        System.out.printf("limit  TLS loopback copy    %8.1f MB/s%n", tls / 1e6);
        long t0 = System.nanoTime();
        SharedContent content = new Indexer().index(file, (d, t) -> {});
        System.out.printf("index  %8.1f MB/s%n", size * 1e9 / (System.nanoTime() - t0) / 1e6);
        download(new Indexer().index(Seeders.randomFile(dir.resolve("warm/warm.bin"), 128L << 20, 1), (d, t) -> {}),
                2, dir.resolve("out-warm")); // warm-up, not reported
        for (int seeders : new int[] {1, 4}) {
            double rate = download(content, seeders, dir.resolve("out-" + seeders));
            System.out.printf("download from %d seeder(s) %8.1f MB/s = %.0f%% of the lower limit%n",
                    seeders, rate / 1e6, 100 * rate / limit);
        }
        deleteTree(dir);
    }

    private static double sha256Rate(long bytes) {
        ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        MessageDigest md = Hashes.sha256();
        for (int warm = 0; warm < 400; warm++) {
            Hashes.leaf(md, buf.clear());
        }
        long t0 = System.nanoTime();
        for (long done = 0; done < bytes; done += buf.capacity()) {
            Hashes.leaf(md, buf.clear());
        }
        return bytes * 1e9 / (System.nanoTime() - t0);
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
