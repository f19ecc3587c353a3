package dev.p2p.node.core;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * The DHT as a {@link PeerCore} uses it: provider records. A simulation backs it with a
 * {@code DhtNode} on the core's own thread; production with the node's DHT server, whose answers
 * come back on the core's thread.
 */
public interface DhtPort {
    /** Looks up providers of {@code key}; {@code done} gets those found (none is an answer too). */
    void findProviders(NodeId key, int wanted, Consumer<List<PeerAddress>> done);

    /** Announces that this peer provides {@code key}, and keeps announcing it. */
    void provide(NodeId key);

    /** Stops announcing {@code key}. */
    void stopProviding(NodeId key);
}
