package dev.p2p.transfer.session;

import dev.p2p.dht.Cancellable;
import dev.p2p.dht.NodeId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connections a completed download left open, one per peer node, for the node's next download from
 * that peer: it skips the TCP and TLS handshakes and HELLO (their code, run once per get per peer,
 * was what a node kept compiling get after get). A connection is kept {@link #KEEP_NANOS}, then
 * closed; at most {@link #MAX_KEPT} are kept, the oldest closed first. To the serving peer a kept
 * connection is a quiet one, whose place goes to a newcomer when every place is taken
 * ({@link UploadMachine#quietSince}). Not thread-safe: the core's thread only.
 */
final class KeptConnections {
    /** How long a connection waits for the next download from its peer. */
    static final long KEEP_NANOS = 60_000_000_000L;
    /** Connections kept at once, at most. */
    static final int MAX_KEPT = 32;

    private final TransferWorld world;
    private final Map<NodeId, Kept> byPeer = new LinkedHashMap<>(); // oldest first
    private final Map<Long, NodeId> byConnection = new HashMap<>();

    private record Kept(long connection, Cancellable expiry) {}

    KeptConnections(TransferWorld world) {
        this.world = world;
    }

    /** Keeps {@code connection}, proven to reach {@code peer}; closes one kept before to the same peer, or the oldest if full. */
    void keep(NodeId peer, long connection) {
        close(take(peer));
        if (byPeer.size() >= MAX_KEPT) {
            close(take(byPeer.keySet().iterator().next()));
        }
        Cancellable expiry = world.schedule(KEEP_NANOS, () -> close(take(peer)));
        byPeer.put(peer, new Kept(connection, expiry));
        byConnection.put(connection, peer);
    }

    /** The connection kept to {@code peer}, now no longer kept, or null. */
    Long take(NodeId peer) {
        Kept k = byPeer.remove(peer);
        if (k == null) {
            return null;
        }
        k.expiry.cancel();
        byConnection.remove(k.connection);
        return k.connection;
    }

    /** The connection closed; true if it was a kept one. */
    boolean closed(long connection) {
        NodeId peer = byConnection.get(connection);
        return peer != null && take(peer) != null;
    }

    int size() {
        return byPeer.size();
    }

    private void close(Long connection) {
        if (connection != null) {
            world.close(connection);
        }
    }
}
