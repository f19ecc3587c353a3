package dev.p2p.node.policy;

import dev.p2p.dht.NodeId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which shared keys a node announces in the DHT: all of them while others can reach it, none while
 * they cannot, since a provider record naming a NATed address sends downloaders to an address
 * nobody can dial (docs/REACHABILITY.md). Decisions only: the caller provides and withdraws.
 */
public final class AnnouncePolicy {
    private final Set<NodeId> shared = new LinkedHashSet<>();
    private final Set<NodeId> unannounced = new LinkedHashSet<>();
    private boolean reachable;

    /** What to do now: keys to announce and keys to withdraw. */
    public record Changes(List<NodeId> provide, List<NodeId> withdraw) {
        public static final Changes NONE = new Changes(List.of(), List.of());
    }

    /** @param reachable whether others can reach the node at start (a static configuration says so) */
    public AnnouncePolicy(boolean reachable) {
        this.reachable = reachable;
    }

    /** A key is shared from now on: announce it now if others can reach us, else once they can. */
    public Changes shared(NodeId key) {
        shared.add(key);
        if (reachable) {
            return new Changes(List.of(key), List.of());
        }
        unannounced.add(key);
        return Changes.NONE;
    }

    /** A key is no longer shared. */
    public Changes unshared(NodeId key) {
        shared.remove(key);
        boolean wasAnnounced = !unannounced.remove(key);
        return wasAnnounced ? new Changes(List.of(), List.of(key)) : Changes.NONE;
    }

    /** The node's reachability decision changed (or was made again). */
    public Changes reachability(boolean nowReachable) {
        if (nowReachable == reachable) {
            return Changes.NONE;
        }
        reachable = nowReachable;
        if (nowReachable) {
            List<NodeId> provide = new ArrayList<>(unannounced);
            unannounced.clear();
            return new Changes(provide, List.of());
        }
        List<NodeId> withdraw = new ArrayList<>();
        for (NodeId key : shared) {
            if (unannounced.add(key)) {
                withdraw.add(key);
            }
        }
        return new Changes(List.of(), withdraw);
    }

    /** Shared keys not announced, because others cannot reach the node. */
    public int unannouncedCount() {
        return unannounced.size();
    }
}
