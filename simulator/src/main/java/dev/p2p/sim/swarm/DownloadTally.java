package dev.p2p.sim.swarm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the swarm's downloads did: counts, and exact nearest-rank percentiles of the times they
 * took (kept as lists: a run has at most a few hundred thousand downloads). One per run for the
 * summary, and one per metrics interval for the time series.
 */
public final class DownloadTally {
    long started;
    long completed;
    long abandoned;
    long startedHonest;
    long completedHonest;
    long abandonedHonest;
    long duplicateBytes;
    long rejectedChunks;
    long receivedBytes;
    final java.util.SortedMap<String, Long> failedTries = new java.util.TreeMap<>();
    final List<Long> completionMillis = new ArrayList<>();
    final List<Double> secondsPerMiB = new ArrayList<>();
    final List<Long> firstByteMillis = new ArrayList<>();
    final List<Double> overCapacityBound = new ArrayList<>();

    public long started() {
        return started;
    }

    public long completed() {
        return completed;
    }

    public long abandoned() {
        return abandoned;
    }

    public long startedHonest() {
        return startedHonest;
    }

    public long completedHonest() {
        return completedHonest;
    }

    public long abandonedHonest() {
        return abandonedHonest;
    }

    /** Chunk bytes received beyond what the completed downloads needed: endgame duplicates and rejected chunks. */
    public long duplicateBytes() {
        return duplicateBytes;
    }

    /** Chunks that failed verification, in completed downloads. */
    public long rejectedChunks() {
        return rejectedChunks;
    }

    /** Chunk bytes the completed downloads received (their own count). */
    public long receivedBytes() {
        return receivedBytes;
    }

    /** Failed tries of a get (retried or not), by the words of their reason before the content id. */
    public java.util.SortedMap<String, Long> failedTries() {
        return failedTries;
    }

    public List<Long> completionMillis() {
        return completionMillis;
    }

    public List<Double> secondsPerMiB() {
        return secondsPerMiB;
    }

    /**
     * Each completed download's time over the least its own downlink allows (size / capacity):
     * below 1 would be faster than the capacity bound.
     */
    public List<Double> overCapacityBound() {
        return overCapacityBound;
    }

    public List<Long> firstByteMillis() {
        return firstByteMillis;
    }

    /** The nearest-rank {@code quantile} of {@code values}, or NaN when there are none. */
    public static double percentile(List<? extends Number> values, double quantile) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values.size());
        for (Number v : values) {
            sorted.add(v.doubleValue());
        }
        Collections.sort(sorted);
        int rank = (int) Math.ceil(quantile * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
