package dev.p2p.transfer.fetch;

import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.serve.ShareRegistry;
import dev.p2p.transfer.store.PartialDownload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Serves a download to other peers while it runs (the chunks verified so far, announced as they
 * are committed) and, once it is published, the complete content from its final place. Does
 * nothing when the downloader was given no registry.
 */
final class Seeding {
    private final ShareRegistry registry;
    private PartialContent partial;

    Seeding(ShareRegistry registry) {
        this.registry = registry;
    }

    void started(ContentId id, byte[] manifestBytes, ChunkLayout layout, byte[] leaves, PartialDownload store) {
        if (registry != null && registry.servable(id) == null) {
            partial = new PartialContent(id, manifestBytes, layout, leaves, store);
            registry.serve(partial);
        }
    }

    void committed(List<Integer> chunks) {
        if (partial != null && !chunks.isEmpty()) {
            partial.announce(chunks);
        }
    }

    void finished(ChunkLayout layout, Path path, byte[] leaves) {
        if (partial == null) {
            return;
        }
        registry.unserve(partial);
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
