package dev.p2p.dht.net;

import dev.p2p.dht.Contact;
import dev.p2p.dht.NodeId;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Heals partitions: remembers contacts that left the routing table (they stopped answering, maybe
 * because the network between us was cut) and the bootstrap addresses, and names a few of them
 * to ping every {@link #PERIOD_MILLIS}. Whoever answers again goes back in the table, and lookups
 * across the former cut work again. Without this, two halves that lost each other would only meet
 * again through a bucket refresh (15 minutes) or an empty table.
 */
final class Rejoiner {
    static final long PERIOD_MILLIS = 10_000;
    static final long FORGET_AFTER_MILLIS = 30 * 60_000L;
    static final int MAX_REMEMBERED = 64;
    static final int PROBES_PER_ROUND = 8;

    private List<InetSocketAddress> seeds = List.of();
    private Map<NodeId, InetSocketAddress> previous = new LinkedHashMap<>();
    /** Address of a lost contact -> when it left the table; probed ones move to the end. */
    private final LinkedHashMap<InetSocketAddress, Long> lost = new LinkedHashMap<>();

    void seeds(List<InetSocketAddress> bootstrap) {
        seeds = List.copyOf(bootstrap);
    }

    List<InetSocketAddress> seeds() {
        return seeds;
    }

    /** Given the table now, the addresses to ping this round. */
    List<InetSocketAddress> due(List<Contact> table, long nowMillis) {
        Map<NodeId, InetSocketAddress> current = new LinkedHashMap<>();
        Set<InetSocketAddress> present = new HashSet<>();
        for (Contact c : table) {
            current.put(c.id(), c.address());
            present.add(c.address());
        }
        for (Map.Entry<NodeId, InetSocketAddress> e : previous.entrySet()) {
            if (!current.containsKey(e.getKey())) {
                lost.remove(e.getValue());
                lost.put(e.getValue(), nowMillis);
            }
        }
        previous = current;
        for (Iterator<Map.Entry<InetSocketAddress, Long>> it = lost.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetSocketAddress, Long> e = it.next();
            if (present.contains(e.getKey()) || nowMillis - e.getValue() > FORGET_AFTER_MILLIS || lost.size() > MAX_REMEMBERED) {
                it.remove();
            }
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress s : seeds) {
            if (!present.contains(s) && out.size() < PROBES_PER_ROUND) {
                out.add(s);
            }
        }
        List<InetSocketAddress> probed = new ArrayList<>();
        for (InetSocketAddress a : lost.keySet()) {
            if (out.size() >= PROBES_PER_ROUND) {
                break;
            }
            if (!out.contains(a)) {
                out.add(a);
                probed.add(a);
            }
        }
        for (InetSocketAddress a : probed) { // round robin: the probed go to the back
            lost.put(a, lost.remove(a));
        }
        return out;
    }
}
