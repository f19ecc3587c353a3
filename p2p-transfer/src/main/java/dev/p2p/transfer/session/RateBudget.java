package dev.p2p.transfer.session;

/**
 * A byte budget granted at a rate, with up to {@link #BURST_NANOS} of burst: bytes are booked in
 * order, each booking starting where the last one ended, so over any long stretch no more than the
 * rate is booked. Time is the caller's (monotonic nanoseconds). Not thread-safe.
 */
final class RateBudget {
    /** Unused budget kept at most: this long at the rate. */
    static final long BURST_NANOS = 100_000_000L;
    private long bytesPerSecond;
    private long nextFreeNanos = Long.MIN_VALUE;

    /** @param bytesPerSecond the rate, 0 for unlimited */
    RateBudget(long bytesPerSecond) {
        setRate(bytesPerSecond);
    }

    long rate() {
        return bytesPerSecond;
    }

    /** A new rate (0 = unlimited), for bookings from now on. */
    void setRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate must be >= 0");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nextFreeNanos = Long.MIN_VALUE;
    }

    boolean unlimited() {
        return bytesPerSecond == 0;
    }

    /** Books {@code bytes} at {@code now}; returns nanoseconds to wait before using them (0 = now). */
    long reserve(long bytes, long now) {
        if (unlimited()) {
            return 0;
        }
        long start = Math.max(now - BURST_NANOS, nextFreeNanos);
        nextFreeNanos = start + (long) (bytes * 1e9 / bytesPerSecond);
        return Math.max(0, start - now);
    }

    /**
     * How many bookings of {@code bytes} each could start by {@code now} without waiting, at most
     * {@code max} (all of them when unlimited). Books nothing; {@link #reserve} books.
     */
    int affordable(long bytes, int max, long now) {
        if (unlimited()) {
            return max;
        }
        long start = Math.max(now - BURST_NANOS, nextFreeNanos);
        if (start > now) {
            return 0;
        }
        long each = Math.max(1, (long) (bytes * 1e9 / bytesPerSecond));
        return (int) Math.min(max, (now - start) / each + 1);
    }
}
