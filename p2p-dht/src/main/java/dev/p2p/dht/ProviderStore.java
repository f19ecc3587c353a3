package dev.p2p.dht;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider records this node keeps for others, each until its expiry. Bounded in total and per
 * key, so nobody can fill our memory by announcing; a full store refuses new records rather than
 * dropping ones it already holds.
 */
public final class ProviderStore {
    private record Stored(Provider provider, long expiresAt) {}

    private final int maxTotal;
    private final int maxPerKey;
    private final Map<NodeId, LinkedHashMap<NodeId, Stored>> byKey = new HashMap<>();
    private int total;

    public ProviderStore(int maxTotal, int maxPerKey) {
        this.maxTotal = maxTotal;
        this.maxPerKey = maxPerKey;
    }

    /** Stores or renews a record (it must be verified already); false when the store is full. */
    public boolean put(NodeId key, Provider provider, long expiresAt) {
        LinkedHashMap<NodeId, Stored> forKey = byKey.get(key);
        NodeId providerId = provider.nodeId();
        if (forKey != null && forKey.containsKey(providerId)) {
            forKey.remove(providerId); // re-insert: newest last
            forKey.put(providerId, new Stored(provider, expiresAt));
            return true;
        }
        if (total >= maxTotal || (forKey != null && forKey.size() >= maxPerKey)) {
            return false;
        }
        byKey.computeIfAbsent(key, x -> new LinkedHashMap<>()).put(providerId, new Stored(provider, expiresAt));
        total++;
        return true;
    }

    /** Up to {@code max} live records for {@code key}, most recently announced first. */
    public List<Provider> get(NodeId key, int max, long now) {
        LinkedHashMap<NodeId, Stored> forKey = byKey.get(key);
        List<Provider> out = new ArrayList<>();
        if (forKey == null) {
            return out;
        }
        List<Stored> all = new ArrayList<>(forKey.values());
        for (int i = all.size() - 1; i >= 0 && out.size() < max; i--) {
            if (all.get(i).expiresAt > now) {
                out.add(all.get(i).provider);
            }
        }
        return out;
    }

    /** Drops every record whose time is up. */
    public void expire(long now) {
        Iterator<LinkedHashMap<NodeId, Stored>> keys = byKey.values().iterator();
        while (keys.hasNext()) {
            LinkedHashMap<NodeId, Stored> forKey = keys.next();
            int before = forKey.size();
            forKey.values().removeIf(s -> s.expiresAt <= now);
            total -= before - forKey.size();
            if (forKey.isEmpty()) {
                keys.remove();
            }
        }
    }

    public int size() {
        return total;
    }
}
