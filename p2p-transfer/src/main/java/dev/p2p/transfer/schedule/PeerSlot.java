package dev.p2p.transfer.schedule;

import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** What the scheduler knows about one peer: its chunks, our requests to it, its rate, its strikes. */
final class PeerSlot {
    final BitSet has;
    final Set<Integer> inFlight = new LinkedHashSet<>();
    int strikes;
    long lastProgressNanos;
    long lastDeliveredNanos = -1; // when its last verified chunk came, or -1
    boolean snubbed;
    int stalls; // stalls in a row without a chunk in between
    long chokedUntil = Long.MIN_VALUE; // it refused us as busy: nothing is asked of it before this time
    int chokes; // busy refusals since it last delivered: while above 0 it is asked one chunk at a time
    int hasVersion; // grows with each chunk it announces after joining
    // the scheduler's state when a scan found nothing new to ask this peer for (-1: not so)
    long nothingAtFreed = -1;
    int nothingAtHas = -1;
    private double bytesPerSecond = -1;
    private long windowStart;
    private long windowBytes;

    PeerSlot(BitSet has, long now) {
        this.has = has;
        this.lastProgressNanos = now;
        this.windowStart = now;
    }

    /** Records {@code bytes} delivered at {@code now}; the rate is an average over windows of at least 250 ms. */
    void delivered(int bytes, long now) {
        lastProgressNanos = now;
        lastDeliveredNanos = now;
        snubbed = false;
        chokes = 0;
        stalls = 0;
        windowBytes += bytes;
        long elapsed = now - windowStart;
        if (elapsed >= 250_000_000L) {
            double sample = windowBytes * 1e9 / elapsed;
            bytesPerSecond = bytesPerSecond < 0 ? sample : 0.5 * bytesPerSecond + 0.5 * sample;
            windowStart = now;
            windowBytes = 0;
        }
    }

    int depth(SchedulerConfig config, int chunkSize) {
        if (snubbed || chokes > 0) {
            return 1;
        }
        if (bytesPerSecond < 0) {
            return config.initialDepth();
        }
        double wanted = bytesPerSecond * config.targetQueueNanos() / 1e9 / chunkSize;
        return (int) Math.max(config.minDepth(), Math.min(config.maxDepth(), Math.ceil(wanted)));
    }

    double bytesPerSecond() {
        return Math.max(0, bytesPerSecond);
    }
}
