package dev.p2p.transfer.fetch;

import dev.p2p.transfer.schedule.SchedulerConfig;

/**
 * Download tuning, validated when made.
 *
 * @param scheduler chunk choice, pipelining, endgame and ban policy
 * @param ioThreads Netty threads shared by all downloads of one {@link Downloader}
 * @param connectTimeoutMillis TCP connect timeout per attempt
 * @param maxConnectFailures consecutive failed connections after which a peer is given up
 * @param maxPeers peers connected at once per download (more are kept to replace those that leave)
 * @param commitIntervalMillis how often verified chunks are fsynced and journaled
 * @param stuckTimeoutMillis the download fails if no chunk is verified for this long
 */
public record DownloadConfig(SchedulerConfig scheduler, int ioThreads, int connectTimeoutMillis,
        int maxConnectFailures, int maxPeers, long commitIntervalMillis, long stuckTimeoutMillis) {
    public static final DownloadConfig DEFAULTS =
            new DownloadConfig(SchedulerConfig.DEFAULTS, 2, 5_000, 3, 16, 250, 120_000);

    public DownloadConfig {
        if (scheduler == null || ioThreads < 1 || connectTimeoutMillis < 1 || maxConnectFailures < 1 || maxPeers < 1
                || commitIntervalMillis < 1 || stuckTimeoutMillis < 1) {
            throw new IllegalArgumentException("download settings must be positive");
        }
    }
}
