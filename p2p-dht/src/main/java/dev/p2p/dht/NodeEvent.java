package dev.p2p.dht;

import java.net.InetSocketAddress;

/** What a {@link DhtNode} tells its host, beside the results of the operations it was asked for. */
public sealed interface NodeEvent {
    /**
     * A peer we talk to relayed a punch request: node {@code requester} will connect from
     * {@code at} and expects us to connect to it, from port {@code at.getPort()}, now.
     */
    record PunchNotice(NodeId requester, InetSocketAddress at) implements NodeEvent {}

    /**
     * Our relay (a public peer we talk to, at {@code relay}) has a circuit waiting for us: connect
     * to its TCP port and present {@code token}.
     */
    record CircuitNotice(InetSocketAddress relay, byte[] token) implements NodeEvent {}

    /** The run-time reachability decision changed (see {@link Reachability}). */
    record ReachabilityChanged(Reachability.Status status) implements NodeEvent {}
}
