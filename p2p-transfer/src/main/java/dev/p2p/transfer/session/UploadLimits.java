package dev.p2p.transfer.session;

/**
 * A node's upload limits, shared by all of its {@link UploadMachine}s: how many peers are served at
 * once, and a byte budget granted at {@code bytesPerSecond} with up to 100 ms of burst. Not
 * thread-safe: a host that runs uploads on several threads serialises the calls.
 */
public class UploadLimits {
    private static final long BURST_NANOS = 100_000_000L;
    private final int maxPeers;
    private final long bytesPerSecond;
    private long nextFreeNanos = Long.MIN_VALUE;
    private int peers;
    private long uploaded;

    /** @param bytesPerSecond total upload rate over all peers, 0 for unlimited */
    public UploadLimits(int maxPeers, long bytesPerSecond) {
        this.maxPeers = maxPeers;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Takes a place for one more peer; false when all are taken. */
    public boolean admit() {
        if (peers >= maxPeers) {
            return false;
        }
        peers++;
        return true;
    }

    /** Gives back a place taken by {@link #admit}. */
    public void release() {
        peers--;
    }

    /** Books {@code bytes} at {@code now}; returns nanoseconds to wait before sending them (0 = now). */
    public long reserve(int bytes, long now) {
        if (bytesPerSecond <= 0) {
            return 0;
        }
        long start = Math.max(now - BURST_NANOS, nextFreeNanos);
        nextFreeNanos = start + (long) (bytes * 1e9 / bytesPerSecond);
        return Math.max(0, start - now);
    }

    /** Counts chunk bytes sent. */
    public void uploaded(int bytes) {
        uploaded += bytes;
    }

    /** Chunk payload bytes sent so far. */
    public long bytesUploaded() {
        return uploaded;
    }
}
