package dev.p2p.dht;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The unit per-source limits count (requests a second, connections not yet past their handshake):
 * an IPv4 address, or an IPv6 /64. One IPv6 host commonly holds a whole /64 (SLAAC privacy
 * addresses: a new one at will), so a limit per IPv6 address would limit nothing; a /64 is one
 * LAN, which one attacker's machine can use all of. The routing table's Sybil limits count
 * wider groups ({@link IpPrefix}: /24 and /48), what one operator can cheaply own.
 */
public final class SourceGroup {
    private SourceGroup() {}

    /** {@code address} itself for IPv4 and loopback; for other IPv6 addresses their /64, the last 64 bits zero. */
    public static InetAddress of(InetAddress address) {
        if (!(address instanceof Inet6Address) || address.isLoopbackAddress()) {
            return address;
        }
        byte[] ip = address.getAddress();
        Arrays.fill(ip, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are always an address
        }
    }
}
