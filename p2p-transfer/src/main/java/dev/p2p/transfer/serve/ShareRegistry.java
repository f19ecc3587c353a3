package dev.p2p.transfer.serve;

import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.SharedContent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The content a node chooses to serve: shared files, and downloads in progress if it wants. Thread-safe. */
public final class ShareRegistry {
    private final Map<ContentId, ServedContent> served = new ConcurrentHashMap<>();

    /** Serves indexed content in place. */
    public void share(SharedContent content) {
        serve(new CompleteContent(content));
    }

    /** Serves {@code content}, replacing whatever was served under its id. */
    public void serve(ServedContent content) {
        ServedContent old = served.put(content.id(), content);
        if (old != content) {
            closeFiles(old);
        }
    }

    public void unshare(ContentId id) {
        closeFiles(served.remove(id));
    }

    /** Removes {@code content} only if it is still the one served under its id. */
    public void unserve(ServedContent content) {
        if (served.remove(content.id(), content)) {
            closeFiles(content);
        }
    }

    /** Content no longer served keeps no files open. */
    private static void closeFiles(ServedContent removed) {
        if (removed instanceof CompleteContent c) {
            c.close();
        }
    }

    /** The content if served and servable, else null. */
    public ServedContent servable(ContentId id) {
        ServedContent c = served.get(id);
        return c == null || !c.isServable() ? null : c;
    }

    /** The complete content served under {@code id} (shared, or downloaded and verified), else null. */
    public SharedContent complete(ContentId id) {
        return served.get(id) instanceof CompleteContent c ? c.content() : null;
    }

    public List<ServedContent> all() {
        return List.copyOf(served.values());
    }
}
