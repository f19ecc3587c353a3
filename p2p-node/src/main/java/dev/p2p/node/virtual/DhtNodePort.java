package dev.p2p.node.virtual;

import dev.p2p.dht.DhtNode;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Provider;
import dev.p2p.node.core.DhtPort;
import dev.p2p.transfer.PeerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link DhtNode} as a {@link dev.p2p.node.core.PeerCore}'s {@link DhtPort}, for a world where
 * the node runs on the core's own thread (a simulation): providers found become peer addresses,
 * and this peer announces itself at {@code port}.
 */
public final class DhtNodePort implements DhtPort {
    private final DhtNode dht;
    private final int port;

    public DhtNodePort(DhtNode dht, int port) {
        this.dht = dht;
        this.port = port;
    }

    @Override
    public void findProviders(NodeId key, int wanted, Consumer<List<PeerAddress>> done) {
        dht.findProviders(key, wanted, r -> {
            List<PeerAddress> found = new ArrayList<>(r.providers().size());
            for (Provider p : r.providers()) {
                found.add(PeerAddress.of(p.address(), p.nodeId()));
            }
            done.accept(found);
        });
    }

    @Override
    public void provide(NodeId key) {
        dht.provide(key, port, r -> { });
    }

    @Override
    public void stopProviding(NodeId key) {
        dht.stopProviding(key);
    }
}
