package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How peers that answered us see our address. Each responder gets one vote (its latest); the
 * address with most votes is the best guess of our public address. Bounded to the last
 * {@link #MAX_VOTERS} responders so a flood cannot grow it.
 */
final class ObservedAddresses {
    static final int MAX_VOTERS = 32;

    private final LinkedHashMap<InetSocketAddress, InetSocketAddress> votes = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, InetSocketAddress> eldest) {
            return size() > MAX_VOTERS;
        }
    };

    void record(InetSocketAddress voter, InetSocketAddress seen) {
        votes.put(voter, seen);
    }

    InetSocketAddress best() {
        Map<InetSocketAddress, Integer> counts = new LinkedHashMap<>();
        InetSocketAddress best = null;
        int bestCount = 0;
        for (InetSocketAddress seen : votes.values()) {
            int c = counts.merge(seen, 1, Integer::sum);
            if (c > bestCount) {
                best = seen;
                bestCount = c;
            }
        }
        return best;
    }
}
