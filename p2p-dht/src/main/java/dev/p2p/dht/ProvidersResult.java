package dev.p2p.dht;

import java.util.List;

/**
 * The end of a provider lookup.
 *
 * @param providers verified provider records found, in the order found
 * @param closest   the closest nodes that answered
 */
public record ProvidersResult(NodeId key, List<Provider> providers, List<Contact> closest, int hops, int queried,
        long elapsedMillis) {
    public ProvidersResult {
        providers = List.copyOf(providers);
        closest = List.copyOf(closest);
    }
}
