package dev.p2p.transfer.host;

import dev.p2p.dht.SourceGroup;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts connections per IP address (IPv6: per /64, {@link SourceGroup}) that have not said HELLO
 * yet, so one address cannot fill the server with half-open connections (slowloris). Thread-safe.
 */
final class HandshakeGate {
    private final int maxPerAddress;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    HandshakeGate(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts one more handshaking connection from {@code from}; false (and not counted) if at the limit. */
    boolean enter(InetAddress from) {
        boolean[] admitted = {false};
        open.compute(SourceGroup.of(from), (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= maxPerAddress) {
                return n;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    /** One handshaking connection from {@code from} said HELLO or closed. */
    void leave(InetAddress from) {
        open.computeIfPresent(SourceGroup.of(from), (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections still handshaking, over all addresses. */
    int size() {
        return open.values().stream().mapToInt(Integer::intValue).sum();
    }
}
