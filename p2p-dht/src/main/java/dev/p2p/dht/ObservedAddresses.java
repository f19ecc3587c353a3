package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How peers that answered us see our address. Each responder gets one vote (its latest); the
 * address with most votes is the best guess of our public address. Bounded to the last
 * {@link #MAX_VOTERS} responders so a flood cannot grow it.
 *
 * <p>Every answer records a vote, so the voters sit in small arrays, least recently heard first,
 * searched by a hash kept beside each: a map allocated an entry and dropped another for nearly
 * every answer, since a busy node hears from many more than 32 peers.
 */
final class ObservedAddresses {
    static final int MAX_VOTERS = 32;

    private final int[] hashes = new int[MAX_VOTERS];
    private final InetSocketAddress[] voters = new InetSocketAddress[MAX_VOTERS];
    private final InetSocketAddress[] seen = new InetSocketAddress[MAX_VOTERS];
    private int size;

    void record(InetSocketAddress voter, InetSocketAddress seenAs) {
        int h = voter.hashCode();
        int at = indexOf(voter, h);
        if (at < 0) {
            at = size < MAX_VOTERS ? size++ : 0; // a new voter; when full, the least recently heard leaves
        }
        // Move it to the most recent end.
        int last = size - 1;
        System.arraycopy(hashes, at + 1, hashes, at, last - at);
        System.arraycopy(voters, at + 1, voters, at, last - at);
        System.arraycopy(seen, at + 1, seen, at, last - at);
        hashes[last] = h;
        voters[last] = voter;
        seen[last] = seenAs;
    }

    InetSocketAddress best() {
        Map<InetSocketAddress, Integer> counts = new LinkedHashMap<>();
        InetSocketAddress best = null;
        int bestCount = 0;
        for (int i = 0; i < size; i++) {
            int c = counts.merge(seen[i], 1, Integer::sum);
            if (c > bestCount) {
                best = seen[i];
                bestCount = c;
            }
        }
        return best;
    }

    private int indexOf(InetSocketAddress voter, int h) {
        for (int i = 0; i < size; i++) {
            if (hashes[i] == h && Contact.sameAddress(voters[i], voter)) {
                return i;
            }
        }
        return -1;
    }
}
