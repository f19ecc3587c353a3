package dev.p2p.transfer.host;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.serve.ShareRegistry;
import dev.p2p.transfer.store.PartialDownload;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Serves a download to other peers while it runs (the chunks verified so far) and, once it is
 * published, the complete content from its final place (not a download of some files only).
 */
final class Seeding {
    private final ShareRegistry registry;
    private PartialContent partial;
    private boolean whole; // the download fetches every file, so the published content is the whole content

    Seeding(ShareRegistry registry) {
        this.registry = registry;
    }

    void started(ContentId id, byte[] manifestBytes, ChunkLayout layout, byte[] leaves, PartialDownload store, boolean whole) {
        this.whole = whole;
        if (registry.servable(id) == null) { // what is shared already is served as it is
            partial = new PartialContent(id, manifestBytes, layout, leaves, store);
            registry.serve(partial);
        }
    }


    void finished(ChunkLayout layout, Path path, byte[] leaves) {
        if (partial == null) {
            return;
        }
        registry.unserve(partial);
        if (!whole) {
            return; // some files were left out: the published directory is not the content its id names
        }
        try {
            registry.share(SharedContent.ofDownloaded(layout.manifest(), path, leaves));
        } catch (IOException e) {
            // the download succeeded; it is just not served until shared again
        }
    }

    void stopped() {
        if (partial != null) {
            registry.unserve(partial);
        }
    }
}
