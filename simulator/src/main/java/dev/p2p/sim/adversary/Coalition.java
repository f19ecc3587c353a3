package dev.p2p.sim.adversary;

import dev.p2p.dht.Contact;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Provider;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the attacker's nodes share, since one operator runs them all: who they are (to recommend
 * each other), the keys that sign false provider records, and a tally of the lies told.
 */
final class Coalition {
    /** Keys whose signed records false providers hand out (each record a distinct "provider"). */
    static final int JUNK_KEYS = 32;
    /** Neighbours in id order looked at on each side when picking members close to a target. */
    private static final int NEIGHBOURS = 32;
    /** Where false provider records point: TEST-NET-1, where nothing answers. */
    private static final byte[] JUNK_IP = {(byte) 192, 0, 2, 1};

    private final TreeMap<NodeId, Contact> sybils = new TreeMap<>();
    private final TreeMap<NodeId, Contact> eclipse = new TreeMap<>();
    private final Set<NodeId> everyone = new HashSet<>();
    private final List<Identity> junkKeys = new ArrayList<>();
    private final Map<NodeId, List<Provider>> junkRecords = new HashMap<>();
    private final NodeId eclipseKey;
    final Lies lies = new Lies();

    /** Lies told, by kind, over the whole run. */
    static final class Lies {
        long requestsDropped;
        long wrongContactAnswers;
        long farContactAnswers;
        long falseProviderRecords;
        long storesSwallowed;
        long eclipseAnswers;
    }

    Coalition(NodeId eclipseKey) {
        this.eclipseKey = eclipseKey;
    }

    /** A member, known to all others once it has joined. */
    void join(Contact c, boolean eclipseNode, Identity key) {
        (eclipseNode ? eclipse : sybils).put(c.id(), c);
        everyone.add(c.id());
        if (key != null && junkKeys.size() < JUNK_KEYS) {
            junkKeys.add(key);
        }
    }

    boolean isMember(NodeId id) {
        return everyone.contains(id);
    }

    NodeId eclipseKey() {
        return eclipseKey;
    }

    /** Up to {@code n} Sybils (not eclipse nodes) near {@code target}, closest first, never {@code exclude}. */
    List<Contact> sybilsNear(NodeId target, int n, NodeId exclude) {
        return near(sybils, target, n, exclude);
    }

    /** Up to {@code n} eclipse nodes closest to {@code target}, never {@code exclude}. */
    List<Contact> eclipseNear(NodeId target, int n, NodeId exclude) {
        return near(eclipse, target, n, exclude);
    }

    /** Members next to {@code target} in id order (which holds the XOR-closest, give or take a few). */
    private static List<Contact> near(TreeMap<NodeId, Contact> members, NodeId target, int n, NodeId exclude) {
        List<Contact> out = new ArrayList<>(2 * NEIGHBOURS);
        members.headMap(target, false).descendingMap().values().stream().limit(NEIGHBOURS).forEach(out::add);
        members.tailMap(target, true).values().stream().limit(NEIGHBOURS).forEach(out::add);
        out.removeIf(c -> c.id().equals(exclude));
        out.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        return out.size() > n ? new ArrayList<>(out.subList(0, n)) : out;
    }

    /**
     * {@code count} false records for {@code key} starting at key number {@code from}: each validly
     * signed by one of the attacker's keys, pointing at an address where nothing serves. Signed once
     * per key and reused, as an attacker would.
     */
    List<Provider> falseRecords(NodeId key, int from, int count) {
        List<Provider> all = junkRecords.computeIfAbsent(key, k -> {
            List<Provider> records = new ArrayList<>(junkKeys.size());
            for (int i = 0; i < junkKeys.size(); i++) {
                records.add(Provider.sign(junkKeys.get(i), k, junkAddress(i)));
            }
            return records;
        });
        List<Provider> out = new ArrayList<>(count);
        for (int i = 0; i < count && i < all.size(); i++) {
            out.add(all.get((from + i) % all.size()));
        }
        return out;
    }

    private static InetSocketAddress junkAddress(int i) {
        return Adversaries.address(JUNK_IP, 4001 + i);
    }

    int sybilCount() {
        return sybils.size();
    }

    int eclipseCount() {
        return eclipse.size();
    }
}
