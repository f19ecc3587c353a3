package dev.p2p.transfer.fetch;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.ContentId;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A finished download.
 *
 * @param path the complete file or directory
 * @param totalBytes the content's size
 * @param resumedBytes bytes already verified on disk when this run started
 * @param receivedBytes chunk payload bytes received in this run, including duplicates and bad ones
 * @param verifiedBytesByPeer bytes each peer contributed that were verified and kept
 * @param rejectedChunks chunks that failed verification and were discarded
 * @param bannedPeers peers banned from this download
 * @param elapsedNanos wall time of this run
 */
public record DownloadResult(ContentId content, Path path, long totalBytes, long resumedBytes, long receivedBytes,
        Map<NodeId, Long> verifiedBytesByPeer, int rejectedChunks, Set<NodeId> bannedPeers, long elapsedNanos) {
    public DownloadResult {
        verifiedBytesByPeer = Map.copyOf(verifiedBytesByPeer);
        bannedPeers = Set.copyOf(bannedPeers);
    }

    /** Download rate of this run in bytes per second. */
    public double bytesPerSecond() {
        return elapsedNanos == 0 ? 0 : (totalBytes - resumedBytes) * 1e9 / elapsedNanos;
    }
}
