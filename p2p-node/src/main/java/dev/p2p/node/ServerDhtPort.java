package dev.p2p.node;

import dev.p2p.dht.NodeId;
import dev.p2p.dht.Provider;
import dev.p2p.dht.net.DhtServer;
import dev.p2p.node.core.DhtPort;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.host.TransferHost;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/** The node's DHT server as its core's {@link DhtPort}: answers come back on the transfer host's loop. */
final class ServerDhtPort implements DhtPort {
    private final DhtServer dht;
    private final TransferHost host;
    private final IntSupplier announcedPort;

    /** @param announcedPort the TCP port provider records name: ours, or the router's under a port mapping */
    ServerDhtPort(DhtServer dht, TransferHost host, IntSupplier announcedPort) {
        this.dht = dht;
        this.host = host;
        this.announcedPort = announcedPort;
    }

    @Override
    public void findProviders(NodeId key, int wanted, Consumer<List<PeerAddress>> done) {
        dht.findProviders(key, wanted).whenComplete((found, error) -> {
            List<PeerAddress> peers = new ArrayList<>();
            if (found != null) {
                for (Provider p : found.providers()) {
                    peers.add(PeerAddress.of(p.address(), p.nodeId()));
                }
            }
            host.post(() -> done.accept(peers)); // a failed lookup found nobody
        });
    }

    @Override
    public void provide(NodeId key) {
        dht.provide(key, announcedPort.getAsInt()); // republished by the DHT; link hints work meanwhile
    }

    @Override
    public void stopProviding(NodeId key) {
        dht.stopProviding(key);
    }
}
