package dev.p2p.sim.world;

import dev.p2p.dht.NodeId;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The simulator's global view of which ids are online, answering "which online id is XOR-closest
 * to this target?" exactly. The XOR-closest id shares the longest prefix with the target, so it
 * lies among the ids with that prefix: a contiguous run in sorted order next to the target's own
 * position, which holds a handful of ids for random ids.
 */
public final class ClosestIndex {
    private final TreeSet<NodeId> ids = new TreeSet<>();

    public void add(NodeId id) {
        ids.add(id);
    }

    public void remove(NodeId id) {
        ids.remove(id);
    }

    public int size() {
        return ids.size();
    }

    /** The online id closest to {@code target} by XOR distance, or null when none is online. */
    public NodeId closest(NodeId target) {
        return closestExcept(target, null);
    }

    /**
     * Like {@link #closest(NodeId)}, but never {@code excluded} (a lookup never returns its own
     * node). Only reads the index, so lanes may ask it side by side while the world changes
     * nothing (during a window).
     */
    public NodeId closestExcept(NodeId target, NodeId excluded) {
        NodeId below = ids.floor(target);
        if (below != null && below.equals(excluded)) {
            below = ids.lower(below);
        }
        NodeId above = ids.ceiling(target);
        if (above != null && above.equals(excluded)) {
            above = ids.higher(above);
        }
        if (below == null && above == null) {
            return null;
        }
        int prefix = Math.max(commonPrefix(target, below), commonPrefix(target, above));
        if (prefix == NodeId.BITS) {
            return target;
        }
        byte[] t = target.toBytes();
        NavigableSet<NodeId> run = ids.subSet(withTail(t, prefix, false), true, withTail(t, prefix, true), true);
        NodeId best = null;
        for (NodeId id : run) {
            if (!id.equals(excluded) && (best == null || target.compareDistance(id, best) < 0)) {
                best = id;
            }
        }
        return best;
    }

    private static int commonPrefix(NodeId target, NodeId id) {
        if (id == null) {
            return -1;
        }
        int bucket = id.bucketIndex(target);
        return bucket < 0 ? NodeId.BITS : NodeId.BITS - 1 - bucket;
    }

    /** {@code bytes} with every bit from position {@code keep} on set to {@code one}. */
    private static NodeId withTail(byte[] bytes, int keep, boolean one) {
        byte[] b = bytes.clone();
        for (int bit = keep; bit < NodeId.BITS; bit++) {
            int mask = 0x80 >>> (bit & 7);
            b[bit >>> 3] = (byte) (one ? b[bit >>> 3] | mask : b[bit >>> 3] & ~mask);
        }
        return NodeId.of(b);
    }
}
