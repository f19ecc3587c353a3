package dev.p2p.transfer.session;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.fetch.DownloadResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Counters of one download run. */
final class DownloadStats {
    private final long startNanos;
    private final Map<NodeId, Long> perPeer = new HashMap<>();
    private long resumedBytes;
    private long verifiedBytes;
    private long receivedBytes;
    private long lastProgressNanos;
    private int rejected;

    DownloadStats(long startNanos) {
        this.startNanos = startNanos;
        this.lastProgressNanos = startNanos;
    }

    void resumed(long bytes) {
        resumedBytes += bytes;
        verifiedBytes += bytes;
    }

    void received(int bytes) {
        receivedBytes += bytes;
    }

    void verified(NodeId peer, int bytes, long now) {
        verifiedBytes += bytes;
        lastProgressNanos = now;
        perPeer.merge(peer, (long) bytes, Long::sum);
    }

    /** A peer answered that it cannot serve us yet (busy): the download waits, it is not stuck. */
    void answered(long now) {
        lastProgressNanos = Math.max(lastProgressNanos, now);
    }

    void rejected() {
        rejected++;
    }

    boolean hasDelivered(NodeId peer) {
        return perPeer.containsKey(peer);
    }

    long verifiedBytes() {
        return verifiedBytes;
    }

    long nanosSinceProgress(long now) {
        return now - lastProgressNanos;
    }

    DownloadResult result(ContentId id, Path path, long totalBytes, Set<NodeId> banned, long now) {
        return new DownloadResult(id, path, totalBytes, resumedBytes, receivedBytes, perPeer, rejected, banned,
                now - startNanos);
    }
}
