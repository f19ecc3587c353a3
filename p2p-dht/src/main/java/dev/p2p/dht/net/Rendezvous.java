package dev.p2p.dht.net;

import dev.p2p.dht.NodeId;
import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.MalformedMessageException;
import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.PunchNotify;
import dev.p2p.dht.wire.Message.PunchRequest;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Coordinated hole punching, the signalling half (docs/REACHABILITY.md, docs/DHT-PROTOCOL.md):
 * two datagram types on the DHT's socket, outside the DHT state machine.
 *
 * <ul>
 *   <li>A public node remembers the client (CLIENT_ONLY) nodes that send it requests, and the
 *       address their NAT gave them: clients behind NAT keep that mapping open by pinging their
 *       bootstrap peers.</li>
 *   <li>PUNCH_REQUEST (type 9), from a downloader to such a public node: "tell client T that I
 *       will connect from port P". The public node answers nothing; if it knows T, it sends T a
 *       PUNCH_NOTIFY (type 10): "requester R is at (the request's source IP, port P)".</li>
 *   <li>Both then open TCP connections to each other at the same time, from port P to port P
 *       (TCP simultaneous open): each one's outgoing SYN opens its own NAT for the other's.</li>
 * </ul>
 * Same 41-byte header as every DHT message; bodies: request = target id (32) | port (2);
 * notify = requester id (32) | address (family, ip, port). Anything else is dropped.
 */
final class Rendezvous {
    static final int PUNCH_REQUEST = 9;
    static final int PUNCH_NOTIFY = 10;
    static final int HEADER = 41;
    static final int MAX_CLIENTS = 1024;

    /** Client node id -> the address its requests come from (its NAT's mapping towards us). */
    private final LinkedHashMap<NodeId, InetSocketAddress> clients = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, InetSocketAddress> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    static boolean isPunch(byte[] d) {
        return d.length > 3 && (d[3] == PUNCH_REQUEST || d[3] == PUNCH_NOTIFY);
    }

    /** Notes a DHT request from a client-only node: where to reach it through its NAT. */
    void noteRequest(byte[] d, InetSocketAddress from) {
        if (d.length >= HEADER && d[0] == 'P' && d[1] == '2' && d[2] == 1 && (d[4] & 1) != 0) {
            clients.put(NodeId.read(d, 9), from);
        }
    }

    InetSocketAddress client(NodeId id) {
        return clients.get(id);
    }

    static byte[] request(NodeId self, NodeId target, int port) {
        return Codec.encode(new PunchRequest(new Header(0, self, false), target, port));
    }

    static byte[] notice(NodeId self, NodeId requester, InetSocketAddress at) {
        return Codec.encode(new PunchNotify(new Header(0, self, false), requester, at));
    }

    /** Decodes a punch datagram; null when malformed. */
    static Message decode(byte[] d) {
        try {
            Message m = Codec.decode(d);
            return m instanceof PunchRequest || m instanceof PunchNotify ? m : null;
        } catch (MalformedMessageException e) {
            return null;
        }
    }
}
