package dev.p2p.dht.net;

import dev.p2p.dht.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
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

    /** A punch request or notice, decoded. */
    record Punch(int type, NodeId sender, NodeId peer, InetSocketAddress address, int port) {}

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
        ByteBuffer b = header(PUNCH_REQUEST, self, HEADER + 34);
        b.put(target.toBytes()).putShort((short) port);
        return b.array();
    }

    static byte[] notice(NodeId self, NodeId requester, InetSocketAddress at) {
        byte[] ip = at.getAddress().getAddress();
        ByteBuffer b = header(PUNCH_NOTIFY, self, HEADER + 32 + 1 + ip.length + 2);
        b.put(requester.toBytes()).put((byte) (ip.length == 4 ? 4 : 6)).put(ip).putShort((short) at.getPort());
        return b.array();
    }

    private static ByteBuffer header(int type, NodeId self, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put((byte) 'P').put((byte) '2').put((byte) 1).put((byte) type).put((byte) 0).putInt(0).put(self.toBytes());
        return b;
    }

    /** Decodes a punch datagram; null when malformed (every length checked first). */
    static Punch decode(byte[] d) {
        if (d.length < HEADER + 34 || d[0] != 'P' || d[1] != '2' || d[2] != 1) {
            return null;
        }
        NodeId sender = NodeId.read(d, 9);
        NodeId peer = NodeId.read(d, HEADER);
        int at = HEADER + 32;
        if (d[3] == PUNCH_REQUEST) {
            if (d.length != HEADER + 34) {
                return null;
            }
            int port = ((d[at] & 0xff) << 8) | (d[at + 1] & 0xff);
            return port == 0 ? null : new Punch(PUNCH_REQUEST, sender, peer, null, port);
        }
        int family = d[at];
        int ipLength = family == 4 ? 4 : family == 6 ? 16 : -1;
        if (ipLength < 0 || d.length != at + 1 + ipLength + 2) {
            return null;
        }
        byte[] ip = new byte[ipLength];
        System.arraycopy(d, at + 1, ip, 0, ipLength);
        int port = ((d[at + 1 + ipLength] & 0xff) << 8) | (d[at + 2 + ipLength] & 0xff);
        try {
            InetAddress address = InetAddress.getByAddress(ip);
            if (port == 0 || address.isAnyLocalAddress() || address.isMulticastAddress()) {
                return null;
            }
            return new Punch(PUNCH_NOTIFY, sender, peer, new InetSocketAddress(address, port), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
