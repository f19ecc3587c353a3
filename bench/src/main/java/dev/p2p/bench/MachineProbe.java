package dev.p2p.bench;

import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How fast this shared machine is right now, for benchmarks whose figure is a wall time (the
 * simulator's): both cores at once, each follows a chain of dependent reads through its own
 * 256 MiB array (the simulator's events are mostly waits on memory, and the two arrays together
 * are larger than the last-level cache), then hashes 64 MiB with SHA-256. Run before and after
 * the benchmark; a neighbour taking the cores or the cache shows up in both figures.
 */
final class MachineProbe {
    private static final int THREADS = 2;
    private static final int INTS = 64 << 20; // 256 MiB per thread
    private static final long READS = 20_000_000;
    private static final int HASH_BYTES = 64 << 20;

    /** Nanoseconds per dependent random read, and SHA-256 MB/s per thread: the mean over the threads. */
    record Result(double readNanos, double sha256MegabytesPerSecond) {}

    static Result measure() throws InterruptedException {
        AtomicLongArray readNanos = new AtomicLongArray(THREADS);
        AtomicLongArray hashNanos = new AtomicLongArray(THREADS);
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int self = t;
            threads[t] = new Thread(() -> {
                int[] next = cycle(INTS, 2 * self + 12345);
                readNanos.set(self, timeReads(next));
                hashNanos.set(self, timeHash());
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double read = 0;
        double mbps = 0;
        for (int t = 0; t < THREADS; t++) {
            read += (double) readNanos.get(t) / READS / THREADS;
            mbps += HASH_BYTES / 1e6 / (hashNanos.get(t) / 1e9) / THREADS;
        }
        return new Result(read, mbps);
    }

    /**
     * One cycle through all {@code n} indices (a power of two) in a scattered order, so every read
     * depends on the last and lands on a line the prefetcher did not guess: the step of a
     * full-period linear congruential generator (odd increment, multiplier 1 mod 4), built in one
     * sequential pass rather than a shuffle's random writes.
     */
    private static int[] cycle(int n, long increment) {
        int[] next = new int[n];
        int mask = n - 1;
        for (int i = 0; i < n; i++) {
            next[i] = (int) ((i * 1103515245L + increment) & mask);
        }
        return next;
    }

    private static long timeReads(int[] next) {
        int at = 0;
        for (int i = 0; i < 1_000_000; i++) { // warm-up: compiled, and the pages were touched when the cycle was built
            at = next[at];
        }
        long start = System.nanoTime();
        for (long i = 0; i < READS; i++) {
            at = next[at];
        }
        long elapsed = System.nanoTime() - start;
        if (at == -1) {
            throw new AssertionError(); // keeps the chain from being optimised away
        }
        return elapsed;
    }

    private static long timeHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[1 << 20];
            new SplittableRandom(1).nextBytes(block);
            for (int i = 0; i < 16; i++) {
                sha.update(block); // warm-up
            }
            sha.digest();
            long start = System.nanoTime();
            for (int i = 0; i < HASH_BYTES / block.length; i++) {
                sha.update(block);
            }
            sha.digest();
            return System.nanoTime() - start;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    static void print() throws InterruptedException {
        Result r = measure();
        System.out.printf("machine: %.1f ns per dependent random read, SHA-256 %.0f MB/s (per core, both cores busy)%n",
                r.readNanos(), r.sha256MegabytesPerSecond());
    }

    private MachineProbe() {}
}
