package dev.p2p.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A node as others know it: its id and the UDP address it answered from. Equal when both are.
 *
 * <p>What the DHT asks of every contact of every answer (is its address usable, which family,
 * which IP prefix, its hash; the first bits of its id, which rank it) is worked out once here:
 * a contact is made once and read many times, and reading these would otherwise walk into the
 * id and four objects deep into the address each time.
 */
public final class Contact {
    private final NodeId id;
    private final InetSocketAddress address;
    /** The first 64 bits of the id, which rank most candidates by distance without reading the id. */
    private final long idWord;
    /** {@link IpPrefix#packedOf} of the address, or 0 when it is not limited (loopback). */
    private final long prefix;
    private final int addressHash;
    private final boolean usable;
    private final boolean ipv4;

    public Contact(NodeId id, InetSocketAddress address) {
        this.id = Objects.requireNonNull(id, "id");
        this.address = Objects.requireNonNull(address, "address");
        this.idWord = id.firstWord();
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        this.addressHash = address.hashCode();
        this.prefix = IpPrefix.isLimited(ip) ? IpPrefix.packedOf(ip) : 0;
        this.usable = address.getPort() != 0 && !ip.isAnyLocalAddress() && !ip.isMulticastAddress();
        this.ipv4 = ip instanceof Inet4Address;
    }

    public NodeId id() {
        return id;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The first 64 bits of {@link #id()}. */
    long idWord() {
        return idWord;
    }

    /** {@code address().hashCode()}. */
    int addressHash() {
        return addressHash;
    }

    /** The packed IP prefix the routing table limits contacts by, or 0 when exempt (loopback). */
    long prefix() {
        return prefix;
    }

    /** False for addresses nobody can be reached at: port 0, the wildcard, multicast. */
    public boolean isUsable() {
        return usable;
    }

    /** True for an IPv4 address, false for IPv6. */
    public boolean isIpv4() {
        return ipv4;
    }

    /**
     * Whether two addresses are equal, trying the cheap way first: InetSocketAddress.equals has
     * no shortcut for the same object, which an address passed along (not decoded) usually is.
     */
    static boolean sameAddress(InetSocketAddress a, InetSocketAddress b) {
        return a == b || a.equals(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Contact c && id.equals(c.id) && sameAddress(address, c.address);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + addressHash;
    }

    @Override
    public String toString() {
        return id.shortHex() + "@" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
