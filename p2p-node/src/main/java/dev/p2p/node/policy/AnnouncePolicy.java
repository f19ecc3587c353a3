package dev.p2p.node.policy;

import dev.p2p.dht.NodeId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which keys a node announces in the DHT: those it shares and those it is downloading and already
 * holds verified chunks of (it serves them, so the peers fetching the same content find each other,
 * as in a BitTorrent swarm); all of them while others can reach it, none while they cannot, since a
 * provider record naming a NATed address sends downloaders to an address nobody can dial
 * (docs/REACHABILITY.md). Decisions only: the caller provides and withdraws.
 */
public final class AnnouncePolicy {
    private final Set<NodeId> shared = new LinkedHashSet<>();
    private final Set<NodeId> unannounced = new LinkedHashSet<>();
    private final Set<NodeId> partial = new LinkedHashSet<>(); // held only while a download of it runs
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
        partial.remove(key); // served whole from now on, whatever becomes of the download
        if (!shared.add(key)) {
            return Changes.NONE; // announced already, or waiting to be
        }
        if (reachable) {
            return new Changes(List.of(key), List.of());
        }
        unannounced.add(key);
        return Changes.NONE;
    }

    /** A key is no longer shared. */
    public Changes unshared(NodeId key) {
        partial.remove(key);
        if (!shared.remove(key)) {
            return Changes.NONE;
        }
        boolean wasAnnounced = !unannounced.remove(key);
        return wasAnnounced ? new Changes(List.of(), List.of(key)) : Changes.NONE;
    }

    /** A download of {@code key} holds verified chunks, which the node serves: announce it as a share. */
    public Changes holding(NodeId key) {
        if (shared.contains(key)) {
            return Changes.NONE;
        }
        Changes c = shared(key);
        partial.add(key);
        return c;
    }

    /**
     * The download of {@code key} ended, complete or not: withdrawn unless the key is shared (a
     * complete download stays announced only if the user shares it, which {@code get --no-share}
     * does not).
     */
    public Changes downloadEnded(NodeId key) {
        if (!partial.remove(key)) {
            return Changes.NONE;
        }
        return unshared(key);
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
