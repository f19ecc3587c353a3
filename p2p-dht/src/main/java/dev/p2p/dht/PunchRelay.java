package dev.p2p.dht;

import java.net.InetSocketAddress;

/**
 * The public side of coordinated hole punching (docs/REACHABILITY.md): remembers the client
 * (CLIENT_ONLY) nodes that send us requests, and the address their NAT gave them towards us.
 * Clients behind NAT keep that mapping open by pinging their bootstrap peers, so a PUNCH_REQUEST
 * for one of them can be passed on as a PUNCH_NOTIFY to that address. At most
 * {@link #MAX_CLIENTS}, the least recently heard from forgotten first.
 */
final class PunchRelay {
    static final int MAX_CLIENTS = 1024;

    /** Client node id -> the address its requests come from (its NAT's mapping towards us). */
    private final LruMap<NodeId, InetSocketAddress> clients = new LruMap<>(MAX_CLIENTS);

    /** A well-formed request from {@code sender} arrived from {@code from}. */
    void onRequest(NodeId sender, boolean clientOnly, InetSocketAddress from) {
        if (clientOnly) {
            clients.put(sender, from);
        }
    }

    /** Where client {@code id} is reached through its NAT, or null when it is not a client we know. */
    InetSocketAddress client(NodeId id) {
        return clients.get(id);
    }
}
