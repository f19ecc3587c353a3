package dev.p2p.transfer.fetch;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.Manifest;

/** Told about a download's progress; called from I/O threads, so keep it quick. */
public interface DownloadListener {
    DownloadListener NONE = new DownloadListener() {};

    /** The manifest arrived and was checked against the content id. */
    default void onManifest(Manifest manifest) {}

    /**
     * @param verifiedBytes bytes verified and kept so far (including those resumed)
     * @param totalBytes size of the whole content
     * @param peers peers currently connected
     */
    default void onProgress(long verifiedBytes, long totalBytes, int peers) {}

    /** A peer sent a chunk that failed verification. */
    default void onBadChunk(NodeId peer, int chunk) {}

    /** A peer is banned from this download (repeated bad chunks, wrong identity, protocol errors). */
    default void onPeerBanned(NodeId peer, String reason) {}
}
