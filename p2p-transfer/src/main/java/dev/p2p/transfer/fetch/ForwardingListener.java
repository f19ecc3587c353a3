package dev.p2p.transfer.fetch;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.Manifest;

/** A {@link DownloadListener} that passes every report on to another; extend it to add an ending. */
public class ForwardingListener implements DownloadListener {
    private final DownloadListener to;

    public ForwardingListener(DownloadListener to) {
        this.to = to;
    }

    @Override
    public void onManifest(Manifest manifest) {
        to.onManifest(manifest);
    }

    @Override
    public void onProgress(long verifiedBytes, long totalBytes, int peers) {
        to.onProgress(verifiedBytes, totalBytes, peers);
    }

    @Override
    public void onBadChunk(NodeId peer, int chunk) {
        to.onBadChunk(peer, chunk);
    }

    @Override
    public void onPeerBanned(NodeId peer, String reason) {
        to.onPeerBanned(peer, reason);
    }
}
