package dev.p2p.dht;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The network an address belongs to for Sybil limits: its IPv4 /24 or IPv6 /48. One operator can
 * cheaply own many addresses inside such a prefix, so the routing table caps how many it takes.
 * Packed into one long (family tag above the prefix bits), kept by each contact, because the
 * table compares the prefixes of a bucket's contacts whenever a newcomer is offered.
 */
final class IpPrefix {
    private static final long IPV4 = 4L << 56;
    private static final long IPV6 = 6L << 56;

    /** {@code address}'s prefix packed into a long, never 0: equal exactly when the prefixes are. */
    static long packedOf(InetAddress address) {
        if (address instanceof Inet4Address) {
            // An Inet4Address's hash code is its 32-bit address; reading it copies no array.
            return IPV4 | ((address.hashCode() >>> 8) & 0xffffffL);
        }
        byte[] ip = address.getAddress();
        long p = 0;
        for (int i = 0; i < 6; i++) {
            p = (p << 8) | (ip[i] & 0xffL);
        }
        return IPV6 | p;
    }

    /** Loopback addresses are exempt, so a test network on one machine works. */
    static boolean isLimited(InetAddress address) {
        return !address.isLoopbackAddress();
    }

    private IpPrefix() {}
}
