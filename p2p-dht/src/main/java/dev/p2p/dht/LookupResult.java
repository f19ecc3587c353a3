package dev.p2p.dht;

import java.util.List;

/**
 * The end of a node lookup.
 *
 * @param closest the k closest nodes that answered, closest first
 * @param hops    lookup depth at which the closest answering node was learned (1 = from our own table)
 * @param queried how many requests the lookup sent
 * @param elapsedMillis time from start to end on the node's clock
 */
public record LookupResult(NodeId target, List<Contact> closest, int hops, int queried, long elapsedMillis) {
    public LookupResult {
        closest = List.copyOf(closest);
    }

    /** True when the target's own node answered. */
    public boolean foundTarget() {
        return !closest.isEmpty() && closest.get(0).id().equals(target);
    }
}
