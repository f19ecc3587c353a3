package dev.p2p.node.core;

import dev.p2p.node.NodeException;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;

/** Follows one {@link PeerCore#get}: the download's progress, and how it ended. Called on the core's thread. */
public interface GetObserver extends DownloadListener {
    /** The content is complete, verified and published. */
    void completed(DownloadResult result);

    /** It ended without the content: nobody provides it, nobody providing it is reachable, or the download failed. */
    void failed(NodeException.Kind kind, String reason);
}
