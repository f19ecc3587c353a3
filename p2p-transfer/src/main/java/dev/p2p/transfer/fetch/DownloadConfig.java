package dev.p2p.transfer.fetch;

import dev.p2p.transfer.schedule.SchedulerConfig;

/**
 * Download tuning, validated when made.
 *
 * @param scheduler chunk choice, pipelining, endgame and ban policy
 * @param connectTimeoutMillis TCP connect timeout per attempt
 * @param maxConnectFailures consecutive failed connections after which a peer is given up
 * @param maxPeers peers connected at once per download (more are kept to replace those that leave)
 * @param commitIntervalMillis how often written chunks are journaled (and offered to other peers)
 * @param stuckTimeoutMillis the download fails if no chunk is verified for this long
 * @param answerTimeoutMillis a peer must send HELLO, MANIFEST and BITFIELD (or a refusal) this
 *     long after the TCP connection is made, or it is dropped
 * @param frameTimeoutMillis a frame from a peer must be complete this long after its first byte
 * @param rateBytesPerSecond chunk bytes requested per second over all downloads of a node, 0 for unlimited
 */
public record DownloadConfig(SchedulerConfig scheduler, int connectTimeoutMillis,
        int maxConnectFailures, int maxPeers, long commitIntervalMillis, long stuckTimeoutMillis,
        long answerTimeoutMillis, long frameTimeoutMillis, long rateBytesPerSecond) {
    public static final DownloadConfig DEFAULTS =
            new DownloadConfig(SchedulerConfig.DEFAULTS, 5_000, 3, 16, 250, 120_000, 30_000, 30_000, 0);

    public DownloadConfig {
        if (scheduler == null || connectTimeoutMillis < 1 || maxConnectFailures < 1 || maxPeers < 1
                || commitIntervalMillis < 1 || stuckTimeoutMillis < 1 || answerTimeoutMillis < 1 || frameTimeoutMillis < 1
                || rateBytesPerSecond < 0) {
            throw new IllegalArgumentException("download settings must be positive (rate >= 0)");
        }
    }

    /** Same settings with another total download rate in bytes per second (0 = unlimited). */
    public DownloadConfig withRate(long bytesPerSecond) {
        return new DownloadConfig(scheduler, connectTimeoutMillis, maxConnectFailures, maxPeers, commitIntervalMillis,
                stuckTimeoutMillis, answerTimeoutMillis, frameTimeoutMillis, bytesPerSecond);
    }

    /** Same settings with another scheduler policy. */
    public DownloadConfig withScheduler(SchedulerConfig s) {
        return new DownloadConfig(s, connectTimeoutMillis, maxConnectFailures, maxPeers, commitIntervalMillis,
                stuckTimeoutMillis, answerTimeoutMillis, frameTimeoutMillis, rateBytesPerSecond);
    }

    /** Same settings with other peer deadlines, in milliseconds. */
    public DownloadConfig withPeerTimeouts(long answerMillis, long frameMillis) {
        return new DownloadConfig(scheduler, connectTimeoutMillis, maxConnectFailures, maxPeers,
                commitIntervalMillis, stuckTimeoutMillis, answerMillis, frameMillis, rateBytesPerSecond);
    }
}
