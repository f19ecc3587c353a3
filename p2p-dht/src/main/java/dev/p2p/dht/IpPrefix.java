package dev.p2p.dht;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * The network an address belongs to for Sybil limits: its IPv4 /24 or IPv6 /48. One operator can
 * cheaply own many addresses inside such a prefix, so the routing table caps how many it takes.
 */
record IpPrefix(byte[] bytes) {
    static IpPrefix of(InetAddress address) {
        byte[] ip = address.getAddress();
        return new IpPrefix(Arrays.copyOf(ip, ip.length == 4 ? 3 : 6));
    }

    /** Loopback addresses are exempt, so a test network on one machine works. */
    static boolean isLimited(InetAddress address) {
        return !address.isLoopbackAddress();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
