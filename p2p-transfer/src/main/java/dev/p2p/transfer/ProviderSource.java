package dev.p2p.transfer;

import dev.p2p.transfer.content.ContentId;
import java.util.List;

/**
 * Where to find peers holding a content id. The DHT's provider lookup plugs in here; a share
 * link's peer hints or a fixed list are the simplest sources.
 */
@FunctionalInterface
public interface ProviderSource {
    /** Peers believed to hold {@code content}; may block while looking them up. */
    List<PeerAddress> providers(ContentId content) throws java.io.IOException;

    static ProviderSource fixed(List<PeerAddress> peers) {
        List<PeerAddress> copy = List.copyOf(peers);
        return content -> copy;
    }
}
