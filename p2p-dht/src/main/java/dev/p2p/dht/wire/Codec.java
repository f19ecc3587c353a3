package dev.p2p.dht.wire;

import dev.p2p.dht.Contact;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Provider;
import dev.p2p.dht.wire.Message.AddProvider;
import dev.p2p.dht.wire.Message.AddProviderAck;
import dev.p2p.dht.wire.Message.AddRelayedProvider;
import dev.p2p.dht.wire.Message.CircuitNotify;
import dev.p2p.dht.wire.Message.FindNode;
import dev.p2p.dht.wire.Message.GetProviders;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Identify;
import dev.p2p.dht.wire.Message.Nodes;
import dev.p2p.dht.wire.Message.Ping;
import dev.p2p.dht.wire.Message.Kind;
import dev.p2p.dht.wire.Message.Pong;
import dev.p2p.dht.wire.Message.Providers;
import dev.p2p.dht.wire.Message.PunchNotify;
import dev.p2p.dht.wire.Message.PunchRequest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads DHT datagrams (layout in docs/DHT-PROTOCOL.md). Decoding treats every byte as
 * hostile: each length and count is checked against its limit before anything is allocated, and
 * any violation is a {@link MalformedMessageException}, never another exception.
 */
public final class Codec {
    public static final byte MAGIC_0 = 'P';
    public static final byte MAGIC_1 = '2';
    public static final int VERSION = 1;
    /** Largest datagram this node sends: fits a 1500-byte Ethernet MTU under IPv6 and UDP headers. */
    public static final int MAX_DATAGRAM = 1452;
    /** Largest datagram this node reads; anything longer is dropped unread. */
    public static final int MAX_INBOUND_DATAGRAM = 2048;
    public static final int HEADER_BYTES = 2 + 1 + 1 + 1 + 4 + NodeId.BYTES;
    public static final int MAX_CONTACTS = 20;
    public static final int MAX_PROVIDERS = 8;
    /** Contacts a PROVIDERS answer carries beside providers, so it stays within {@link #MAX_DATAGRAM}. */
    public static final int MAX_CONTACTS_WITH_PROVIDERS = 8;
    public static final int MAX_TOKEN = 32;
    /**
     * Providers a PROVIDERS answer carries when any is relayed (each record then carries a relay
     * contact too), so it stays within {@link #MAX_DATAGRAM} with IPv6 everywhere.
     */
    public static final int MAX_RELAYED_FORMAT_PROVIDERS = 5;

    private static final int FLAG_CLIENT_ONLY = 1;
    /** On GET_PROVIDERS: the requester reads relayed records; on PROVIDERS: the records are in the relayed layout. */
    private static final int FLAG_RELAYED = 2;
    /**
     * On FIND_NODE and GET_PROVIDERS: a nonce follows the request's last field, asking for a proof
     * of the responder's id in the answer; on NODES and PROVIDERS: that proof follows the last field.
     */
    private static final int FLAG_PROVE = 4;
    private static final int FAMILY_V4 = 4, FAMILY_V6 = 6;

    private Codec() {}

    public static byte[] encode(Message m) {
        int size = encodedSize(m);
        check(size <= MAX_DATAGRAM, "message of " + size + " bytes over " + MAX_DATAGRAM);
        ByteBuffer b = ByteBuffer.allocate(MAX_DATAGRAM);
        Header h = m.header();
        b.put(MAGIC_0).put(MAGIC_1).put((byte) VERSION).put((byte) m.kind().code)
                .put((byte) ((h.clientOnly() ? FLAG_CLIENT_ONLY : 0) | (relayedLayout(m) ? FLAG_RELAYED : 0)
                        | (proves(m) ? FLAG_PROVE : 0)))
                .putInt(h.txId()).put(h.sender().toBytes());
        if (m instanceof Pong p) {
            putAddress(b, p.observed());
        } else if (m instanceof FindNode f) {
            b.put(f.target().toBytes());
            putNonce(b, f.proveNonce());
        } else if (m instanceof Nodes n) {
            putAddress(b, n.observed());
            putContacts(b, n.contacts(), MAX_CONTACTS);
            putProof(b, n.proof());
        } else if (m instanceof GetProviders g) {
            b.put(g.key().toBytes());
            putNonce(b, g.proveNonce());
        } else if (m instanceof Providers p) {
            putAddress(b, p.observed());
            putBytes(b, p.token(), MAX_TOKEN);
            boolean relayed = relayedLayout(p);
            check(p.providers().size() <= (relayed ? MAX_RELAYED_FORMAT_PROVIDERS : MAX_PROVIDERS), "too many providers");
            b.put((byte) p.providers().size());
            for (Provider pr : p.providers()) {
                b.put(pr.publicKey());
                putAddress(b, pr.address());
                if (relayed) {
                    b.put((byte) (pr.relayed() ? 1 : 0));
                    if (pr.relayed()) {
                        putContact(b, pr.relay());
                    }
                }
                b.put(pr.signature());
            }
            putContacts(b, p.contacts(), p.providers().isEmpty() ? MAX_CONTACTS : MAX_CONTACTS_WITH_PROVIDERS);
            putProof(b, p.proof());
        } else if (m instanceof AddProvider a) {
            b.put(a.key().toBytes());
            putBytes(b, a.token(), MAX_TOKEN);
            b.put(a.publicKey());
            b.putShort((short) a.port());
            b.put(a.signature());
        } else if (m instanceof AddRelayedProvider a) {
            check(a.relay().isUsable(), "relay address " + a.relay().address());
            b.put(a.key().toBytes());
            putBytes(b, a.token(), MAX_TOKEN);
            b.put(a.publicKey());
            b.putShort((short) a.port());
            putContact(b, a.relay());
            b.put(a.signature());
        } else if (m instanceof AddProviderAck a) {
            putAddress(b, a.observed());
            b.put((byte) (a.stored() ? 1 : 0));
        } else if (m instanceof PunchRequest p) {
            check(p.port() > 0 && p.port() <= 0xffff, "punch port " + p.port());
            b.put(p.target().toBytes()).putShort((short) p.port());
        } else if (m instanceof CircuitNotify c) {
            b.put(c.token());
        } else if (m instanceof Message.Leave l) {
            putProof(b, l.proof());
        } else if (m instanceof Identify i) {
            b.put(i.nonce());
        } else if (m instanceof Message.IdentityAnswer i) {
            putAddress(b, i.observed());
            check(i.publicKey().length == Identity.PUBLIC_KEY_BYTES && i.signature().length == Identity.SIGNATURE_BYTES,
                    "identity proof field sizes");
            b.put(i.publicKey()).put(i.signature());
        } else if (m instanceof PunchNotify p) {
            check(isDialable(p.address()), "punch address " + p.address());
            b.put(p.requester().toBytes());
            putAddress(b, p.address());
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /**
     * The length {@link #encode} would produce, computed without encoding: the simulator counts
     * bytes on the wire for millions of messages it never serialises.
     */
    public static int encodedSize(Message m) {
        int n = HEADER_BYTES;
        if (m instanceof Pong p) {
            n += addressSize(p.observed());
        } else if (m instanceof FindNode || m instanceof GetProviders) {
            n += NodeId.BYTES + (proves(m) ? Identify.NONCE_BYTES : 0);
        } else if (m instanceof Nodes nodes) {
            n += addressSize(nodes.observed()) + contactsSize(nodes.contacts()) + (proves(m) ? Message.Proof.BYTES : 0);
        } else if (m instanceof Providers p) {
            n += addressSize(p.observed()) + 1 + p.token().length + 1 + contactsSize(p.contacts())
                    + (proves(m) ? Message.Proof.BYTES : 0);
            boolean relayed = relayedLayout(p);
            for (Provider pr : p.providers()) {
                n += Identity.PUBLIC_KEY_BYTES + addressSize(pr.address()) + Identity.SIGNATURE_BYTES;
                n += !relayed ? 0 : 1 + (pr.relayed() ? NodeId.BYTES + addressSize(pr.relay().isIpv4()) : 0);
            }
        } else if (m instanceof AddProvider a) {
            n += NodeId.BYTES + 1 + a.token().length + Identity.PUBLIC_KEY_BYTES + 2 + Identity.SIGNATURE_BYTES;
        } else if (m instanceof AddRelayedProvider a) {
            n += NodeId.BYTES + 1 + a.token().length + Identity.PUBLIC_KEY_BYTES + 2 + NodeId.BYTES
                    + addressSize(a.relay().isIpv4()) + Identity.SIGNATURE_BYTES;
        } else if (m instanceof AddProviderAck a) {
            n += addressSize(a.observed()) + 1;
        } else if (m instanceof PunchRequest) {
            n += NodeId.BYTES + 2;
        } else if (m instanceof PunchNotify p) {
            n += NodeId.BYTES + addressSize(p.address());
        } else if (m instanceof CircuitNotify) {
            n += CircuitNotify.TOKEN_BYTES;
        } else if (m instanceof Message.Leave) {
            n += Message.Proof.BYTES;
        } else if (m instanceof Identify) {
            n += Identify.NONCE_BYTES;
        } else if (m instanceof Message.IdentityAnswer i) {
            n += addressSize(i.observed()) + Identity.PUBLIC_KEY_BYTES + Identity.SIGNATURE_BYTES;
        }
        return n;
    }

    /** Whether {@code m} sets FLAG_RELAYED: a request that reads relayed records, or an answer that carries one. */
    private static boolean relayedLayout(Message m) {
        if (m instanceof GetProviders g) {
            return g.relayed();
        }
        if (m instanceof Providers p) {
            for (Provider pr : p.providers()) {
                if (pr.relayed()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code answer} within {@link #MAX_DATAGRAM}: a proof (96 bytes) after 8 IPv6 records and 8
     * IPv6 contacts would not fit, so the farthest contacts (the list's last) give way to it.
     */
    public static Providers withinDatagram(Providers answer) {
        Providers fit = answer;
        while (encodedSize(fit) > MAX_DATAGRAM && !fit.contacts().isEmpty()) {
            fit = new Providers(fit.header(), fit.observed(), fit.token(), fit.providers(),
                    fit.contacts().subList(0, fit.contacts().size() - 1), fit.proof());
        }
        return fit;
    }

    /** Whether {@code m} sets FLAG_PROVE: a lookup request with a nonce, or an answer with a proof. */
    private static boolean proves(Message m) {
        if (m instanceof FindNode f) {
            return f.proveNonce() != null;
        } else if (m instanceof GetProviders g) {
            return g.proveNonce() != null;
        } else if (m instanceof Nodes n) {
            return n.proof() != null;
        } else if (m instanceof Providers p) {
            return p.proof() != null;
        }
        return false;
    }

    private static void putNonce(ByteBuffer b, byte[] nonce) {
        if (nonce != null) {
            b.put(nonce);
        }
    }

    private static void putProof(ByteBuffer b, Message.Proof proof) {
        if (proof != null) {
            b.put(proof.publicKey()).put(proof.signature());
        }
    }

    /** The proof after an answer's last field, when its flags say one is there. */
    private static Message.Proof readProof(ByteBuffer b, boolean present) {
        if (!present) {
            return null;
        }
        byte[] pub = readFixed(b, Identity.PUBLIC_KEY_BYTES);
        return new Message.Proof(pub, readFixed(b, Identity.SIGNATURE_BYTES));
    }

    private static byte[] readNonce(ByteBuffer b, boolean present) {
        return present ? readFixed(b, Identify.NONCE_BYTES) : null;
    }

    private static int addressSize(InetSocketAddress a) {
        return addressSize(a.getAddress() instanceof Inet4Address); // getAddress().length would copy it
    }

    /** A family byte, the IP, a port. */
    private static int addressSize(boolean ipv4) {
        return 1 + (ipv4 ? 4 : 16) + 2;
    }

    private static int contactsSize(List<Contact> contacts) {
        int n = 1;
        for (Contact c : contacts) {
            n += NodeId.BYTES + addressSize(c.isIpv4()); // the contact knows: no walk into its address
        }
        return n;
    }

    /** Reads one datagram; every malformation is reported as {@link MalformedMessageException}. */
    public static Message decode(byte[] datagram) throws MalformedMessageException {
        if (datagram.length > MAX_INBOUND_DATAGRAM) {
            throw new MalformedMessageException("datagram of " + datagram.length + " bytes is over the limit");
        }
        if (datagram.length < HEADER_BYTES) {
            throw new MalformedMessageException("datagram shorter than a header");
        }
        ByteBuffer b = ByteBuffer.wrap(datagram);
        try {
            if (b.get() != MAGIC_0 || b.get() != MAGIC_1) {
                throw new MalformedMessageException("not a p2p DHT datagram");
            }
            int version = b.get() & 0xff;
            if (version != VERSION) {
                throw new MalformedMessageException("unsupported version " + version);
            }
            int type = b.get() & 0xff;
            int flags = b.get() & 0xff;
            Header h = new Header(b.getInt(), readId(b), (flags & FLAG_CLIENT_ONLY) != 0);
            Message m = decodeBody(type, h, (flags & FLAG_RELAYED) != 0, (flags & FLAG_PROVE) != 0, b);
            if (b.hasRemaining()) {
                throw new MalformedMessageException("trailing bytes after message");
            }
            return m;
        } catch (BufferUnderflowException e) {
            throw new MalformedMessageException("truncated datagram");
        }
    }

    /** @param prove flag PROVE: a nonce or a proof follows the last field (only the four kinds that use it read it) */
    private static Message decodeBody(int type, Header h, boolean relayed, boolean prove, ByteBuffer b)
            throws MalformedMessageException {
        Kind kind = Kind.ofCode(type);
        if (kind == null) {
            throw new MalformedMessageException("unknown message type " + type);
        }
        switch (kind) {
            case PING:
                return new Ping(h);
            case PONG:
                return new Pong(h, readAddress(b));
            case FIND_NODE: {
                NodeId target = readId(b);
                return new FindNode(h, target, readNonce(b, prove));
            }
            case NODES: {
                InetSocketAddress observed = readAddress(b);
                List<Contact> contacts = readContacts(b, MAX_CONTACTS);
                return new Nodes(h, observed, contacts, readProof(b, prove));
            }
            case GET_PROVIDERS: {
                NodeId key = readId(b);
                return new GetProviders(h, key, relayed, readNonce(b, prove));
            }
            case PROVIDERS: {
                InetSocketAddress observed = readAddress(b);
                byte[] token = readBytes(b, MAX_TOKEN);
                int count = b.get() & 0xff;
                int max = relayed ? MAX_RELAYED_FORMAT_PROVIDERS : MAX_PROVIDERS;
                if (count > max) {
                    throw new MalformedMessageException("provider count " + count + " over " + max);
                }
                List<Provider> providers = new ArrayList<>(count);
                boolean anyRelayed = false;
                for (int i = 0; i < count; i++) {
                    byte[] pub = readFixed(b, Identity.PUBLIC_KEY_BYTES);
                    InetSocketAddress addr = readAddress(b);
                    Contact relay = relayed ? readOptionalRelay(b) : null;
                    anyRelayed |= relay != null;
                    providers.add(new Provider(pub, addr, readFixed(b, Identity.SIGNATURE_BYTES), relay));
                }
                if (relayed && !anyRelayed) {
                    throw new MalformedMessageException("relayed layout without a relayed record");
                }
                List<Contact> contacts = readContacts(b, providers.isEmpty() ? MAX_CONTACTS : MAX_CONTACTS_WITH_PROVIDERS);
                return new Providers(h, observed, token, providers, contacts, readProof(b, prove));
            }
            case ADD_PROVIDER: {
                NodeId key = readId(b);
                byte[] token = readBytes(b, MAX_TOKEN);
                byte[] pub = readFixed(b, Identity.PUBLIC_KEY_BYTES);
                int port = readPort(b, "provider port 0");
                return new AddProvider(h, key, token, pub, port, readFixed(b, Identity.SIGNATURE_BYTES));
            }
            case ADD_RELAYED_PROVIDER: {
                NodeId key = readId(b);
                byte[] token = readBytes(b, MAX_TOKEN);
                byte[] pub = readFixed(b, Identity.PUBLIC_KEY_BYTES);
                int port = readPort(b, "provider port 0");
                Contact relay = readRelay(b);
                return new AddRelayedProvider(h, key, token, pub, port, relay, readFixed(b, Identity.SIGNATURE_BYTES));
            }
            case ADD_PROVIDER_ACK: {
                InetSocketAddress observed = readAddress(b);
                int stored = b.get() & 0xff;
                if (stored > 1) {
                    throw new MalformedMessageException("stored flag " + stored);
                }
                return new AddProviderAck(h, observed, stored == 1);
            }
            case PUNCH_REQUEST: {
                NodeId target = readId(b);
                return new PunchRequest(h, target, readPort(b, "punch port 0"));
            }
            case CIRCUIT_NOTIFY:
                return new CircuitNotify(h, readFixed(b, CircuitNotify.TOKEN_BYTES));
            case LEAVE:
                return new Message.Leave(h, readProof(b, true));
            case PUNCH_NOTIFY: {
                NodeId requester = readId(b);
                InetSocketAddress at = readAddress(b);
                if (!isDialable(at)) {
                    throw new MalformedMessageException("punch address not dialable: " + at);
                }
                return new PunchNotify(h, requester, at);
            }
            case IDENTIFY:
                return new Identify(h, readFixed(b, Identify.NONCE_BYTES));
            case IDENTITY: {
                InetSocketAddress observed = readAddress(b);
                byte[] pub = readFixed(b, Identity.PUBLIC_KEY_BYTES);
                return new Message.IdentityAnswer(h, observed, pub, readFixed(b, Identity.SIGNATURE_BYTES));
            }
            default:
                throw new MalformedMessageException("unknown message type " + type);
        }
    }

    /** A port that is not 0. */
    private static int readPort(ByteBuffer b, String whenZero) throws MalformedMessageException {
        int port = b.getShort() & 0xffff;
        if (port == 0) {
            throw new MalformedMessageException(whenZero);
        }
        return port;
    }

    /** Where a punch may make a node dial: a port, and an IP that is neither unspecified nor multicast. */
    private static boolean isDialable(InetSocketAddress a) {
        return a.getPort() != 0 && !a.getAddress().isAnyLocalAddress() && !a.getAddress().isMulticastAddress();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }

    private static void putBytes(ByteBuffer b, byte[] bytes, int max) {
        check(bytes.length <= max, "field of " + bytes.length + " bytes over " + max);
        b.put((byte) bytes.length).put(bytes);
    }

    private static void putContacts(ByteBuffer b, List<Contact> contacts, int max) {
        check(contacts.size() <= max, "too many contacts: " + contacts.size());
        b.put((byte) contacts.size());
        for (Contact c : contacts) {
            putContact(b, c);
        }
    }

    private static void putAddress(ByteBuffer b, InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        b.put((byte) (ip.length == 4 ? FAMILY_V4 : FAMILY_V6)).put(ip).putShort((short) a.getPort());
    }

    private static NodeId readId(ByteBuffer b) {
        byte[] id = new byte[NodeId.BYTES];
        b.get(id);
        return NodeId.of(id);
    }

    private static byte[] readFixed(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static byte[] readBytes(ByteBuffer b, int max) throws MalformedMessageException {
        int len = b.get() & 0xff;
        if (len > max) {
            throw new MalformedMessageException("field of " + len + " bytes over " + max);
        }
        if (len > b.remaining()) {
            throw new MalformedMessageException("truncated field");
        }
        return readFixed(b, len);
    }

    private static List<Contact> readContacts(ByteBuffer b, int max) throws MalformedMessageException {
        int count = b.get() & 0xff;
        if (count > max) {
            throw new MalformedMessageException("contact count " + count + " over " + max);
        }
        List<Contact> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            NodeId id = readId(b);
            out.add(new Contact(id, readAddress(b)));
        }
        return out;
    }

    /** A relay flag (0 or 1), then the relay's contact when it is 1. */
    private static Contact readOptionalRelay(ByteBuffer b) throws MalformedMessageException {
        int present = b.get() & 0xff;
        if (present > 1) {
            throw new MalformedMessageException("relay flag " + present);
        }
        return present == 1 ? readRelay(b) : null;
    }

    /** A relay's contact: a node anyone may be sent to punch through, so its address must be dialable. */
    private static Contact readRelay(ByteBuffer b) throws MalformedMessageException {
        NodeId id = readId(b);
        Contact relay = new Contact(id, readAddress(b));
        if (!relay.isUsable()) {
            throw new MalformedMessageException("relay address not dialable: " + relay.address());
        }
        return relay;
    }

    private static void putContact(ByteBuffer b, Contact c) {
        b.put(c.id().toBytes());
        putAddress(b, c.address());
    }

    private static InetSocketAddress readAddress(ByteBuffer b) throws MalformedMessageException {
        int family = b.get() & 0xff;
        int len = family == FAMILY_V4 ? 4 : family == FAMILY_V6 ? 16 : -1;
        if (len < 0) {
            throw new MalformedMessageException("unknown address family " + family);
        }
        byte[] ip = readFixed(b, len);
        int port = b.getShort() & 0xffff;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port); // raw bytes: no DNS
        } catch (UnknownHostException e) {
            throw new MalformedMessageException("bad address");
        }
    }
}
