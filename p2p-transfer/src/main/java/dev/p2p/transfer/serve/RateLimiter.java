package dev.p2p.transfer.serve;

/**
 * A shared upload budget: bytes are granted at {@code bytesPerSecond} with up to 100 ms of burst.
 * {@link #reserve} books bytes and says how long to wait before sending them. Thread-safe.
 */
final class RateLimiter {
    private static final long BURST_NANOS = 100_000_000L;
    private final long bytesPerSecond;
    private long nextFreeNanos = Long.MIN_VALUE;

    RateLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Books {@code bytes} at {@code now}; returns nanoseconds to wait before sending them (0 = now). */
    synchronized long reserve(int bytes, long now) {
        if (bytesPerSecond <= 0) {
            return 0;
        }
        long start = Math.max(now - BURST_NANOS, nextFreeNanos);
        nextFreeNanos = start + (long) (bytes * 1e9 / bytesPerSecond);
        return Math.max(0, start - now);
    }
}
