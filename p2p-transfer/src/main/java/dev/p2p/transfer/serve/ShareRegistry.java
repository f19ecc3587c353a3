package dev.p2p.transfer.serve;

import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.SharedContent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The content a node chooses to serve. Thread-safe. */
public final class ShareRegistry {
    private final Map<ContentId, SharedContent> shared = new ConcurrentHashMap<>();

    public void share(SharedContent content) {
        shared.put(content.id(), content);
    }

    public void unshare(ContentId id) {
        shared.remove(id);
    }

    /** The content if shared and not stale, else null. */
    public SharedContent servable(ContentId id) {
        SharedContent c = shared.get(id);
        return c == null || c.isStale() ? null : c;
    }

    public SharedContent get(ContentId id) {
        return shared.get(id);
    }

    public List<SharedContent> all() {
        return List.copyOf(shared.values());
    }
}
