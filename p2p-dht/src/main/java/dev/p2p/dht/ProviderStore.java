package dev.p2p.dht;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider records this node keeps for others, each until its expiry. Bounded in total and per
 * key, so nobody can fill our memory by announcing: a full store refuses new keys' records rather
 * than dropping others' keys, and a full key makes room by dropping its least recently announced
 * record (a provider that stays republishes, and so stays among the recent).
 */
public final class ProviderStore {
    private record Stored(Provider provider, long expiresAt) {}

    private final int maxTotal;
    private final int maxPerKey;
    private final Map<NodeId, LinkedHashMap<NodeId, Stored>> byKey = new HashMap<>();
    private final Map<NodeId, Integer> turns = new HashMap<>(); // where the next answer's older records start
    private int total;

    public ProviderStore(int maxTotal, int maxPerKey) {
        this.maxTotal = maxTotal;
        this.maxPerKey = maxPerKey;
    }

    /** Stores or renews a record (it must be verified already); false when the store is full in all. */
    public boolean put(NodeId key, Provider provider, long expiresAt) {
        LinkedHashMap<NodeId, Stored> forKey = byKey.get(key);
        NodeId providerId = provider.nodeId();
        if (forKey != null && forKey.containsKey(providerId)) {
            forKey.remove(providerId); // re-insert: newest last
            forKey.put(providerId, new Stored(provider, expiresAt));
            return true;
        }
        if (forKey != null && forKey.size() >= maxPerKey) {
            // a full key drops its least recently announced record: refusing instead would freeze a
            // popular content's records on its first announcers, gone or not, for a whole TTL
            forKey.remove(forKey.keySet().iterator().next());
            forKey.put(providerId, new Stored(provider, expiresAt));
            return true;
        }
        if (total >= maxTotal) {
            return false;
        }
        byKey.computeIfAbsent(key, x -> new LinkedHashMap<>()).put(providerId, new Stored(provider, expiresAt));
        total++;
        return true;
    }

    /**
     * Up to {@code max} live records for {@code key}: the most recently announced half first, then
     * the older ones in turns, each answer going on where the last one stopped. Newest first alone
     * would hide a long-standing provider (a publisher that stays, announcing every half hour)
     * behind a crowd of fresh downloaders for ever; in turns, repeated asks name every record.
     */
    public List<Provider> get(NodeId key, int max, long now) {
        LinkedHashMap<NodeId, Stored> forKey = byKey.get(key);
        List<Provider> out = new ArrayList<>();
        if (forKey == null) {
            return out;
        }
        List<Provider> live = new ArrayList<>(forKey.size()); // newest first
        List<Stored> all = new ArrayList<>(forKey.values());
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).expiresAt > now) {
                live.add(all.get(i).provider);
            }
        }
        if (live.size() <= max) {
            return live;
        }
        int newest = (max + 1) / 2;
        out.addAll(live.subList(0, newest));
        int older = live.size() - newest;
        int start = turns.getOrDefault(key, 0) % older;
        for (int i = 0; out.size() < max; i++) {
            out.add(live.get(newest + (start + i) % older));
        }
        turns.put(key, start + max - newest);
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
        turns.keySet().retainAll(byKey.keySet());
    }

    public int size() {
        return total;
    }
}
