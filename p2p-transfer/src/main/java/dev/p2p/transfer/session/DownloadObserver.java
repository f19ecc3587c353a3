package dev.p2p.transfer.session;

import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;

/** Follows one download of a {@link TransferCore}: its progress, and how it ended. Called on the core's thread. */
public interface DownloadObserver extends DownloadListener {
    /** The content is complete, verified and published. */
    void completed(DownloadResult result);

    /** The download ended without the content; verified chunks stay for a resume. */
    void failed(String reason);

    /** As {@link #failed}, when no peer reached has the content (see {@link DownloadAction.Why#NOT_PROVIDED}). */
    default void notProvided(String reason) {
        failed(reason);
    }

    /** As {@link #failed}, when the download's selection matches no file of the content. */
    default void nothingSelected(String reason) {
        failed(reason);
    }
}
