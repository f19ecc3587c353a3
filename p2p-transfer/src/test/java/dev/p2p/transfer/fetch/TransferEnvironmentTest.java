package dev.p2p.transfer.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.TransferEnvironment;
import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.runtime.SystemEnvironment;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.ShareRegistry;
import dev.p2p.transfer.serve.TransferServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transfer side takes its time, timer threads and generators from the environment it is given. */
class TransferEnvironmentTest {
    @TempDir Path tmp;

    /** The machine's, with time running at half speed from the start, and what was asked of it. */
    static final class HalfSpeed implements TransferEnvironment {
        private final long start = SystemEnvironment.INSTANCE.nanoTime();
        final AtomicLong clockReads = new AtomicLong();
        final List<String> timers = new CopyOnWriteArrayList<>();
        final AtomicInteger generators = new AtomicInteger();

        @Override
        public long nanoTime() {
            clockReads.incrementAndGet();
            return (SystemEnvironment.INSTANCE.nanoTime() - start) / 2;
        }

        @Override
        public ScheduledExecutorService newTimer(String name) {
            timers.add(name);
            return SystemEnvironment.INSTANCE.newTimer(name);
        }

        @Override
        public Random newRandom() {
            generators.incrementAndGet();
            return new Random(generators.get());
        }
    }

    @Test
    void aDownloadAndTheServerItComesFromRunOnTheirEnvironments() throws Exception {
        Path file = Seeders.randomFile(tmp.resolve("seed/file.bin"), 8L << 20, 3);
        SharedContent content = new Indexer().index(file, (done, total) -> {});
        HalfSpeed serverEnv = new HalfSpeed();
        HalfSpeed downloadEnv = new HalfSpeed();
        ShareRegistry registry = new ShareRegistry();
        registry.share(content);
        try (TransferServer server = new TransferServer(Identity.generate(new Random(1)), registry, ServerConfig.DEFAULTS, serverEnv);
                Downloader downloader = new Downloader(Identity.generate(new Random(2)), DownloadConfig.DEFAULTS, downloadEnv)) {
            server.start(new InetSocketAddress("127.0.0.1", 0));
            long before = System.nanoTime();
            DownloadResult r = downloader.download(content.id(), List.of(server.address()),
                    tmp.resolve("out"), DownloadListener.NONE);
            long realNanos = System.nanoTime() - before;

            assertEquals(-1, Files.mismatch(file, r.path()));
            assertTrue(r.elapsedNanos() > 0 && r.elapsedNanos() <= realNanos / 2 + 1,
                    "the download's time is its environment's (half the real " + realNanos + " ns): " + r.elapsedNanos());
            assertEquals(List.of("transfer-disk", "transfer-hash", "transfer-flush"), downloadEnv.timers,
                    "the disk, hashing and flushing threads are the environment's");
            assertEquals(1, downloadEnv.generators.get());
            assertTrue(serverEnv.clockReads.get() > 0, "the server's upload rate limit reads its environment's clock");
        }
    }
}
