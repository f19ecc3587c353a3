package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.util.Objects;

/** A node as others know it: its id and the UDP address it answered from. */
public record Contact(NodeId id, InetSocketAddress address) {
    public Contact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
        return id.shortHex() + "@" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
