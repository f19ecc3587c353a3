package dev.p2p.node;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * This host's own addresses, for links made before peers told the node where they see it: a
 * downloader on the same network dials one of them directly (docs/REACHABILITY.md, "A link is
 * enough"). Up interfaces only; IPv4 first, then IPv6 when the node listens on both (a dual-stack
 * wildcard), never link-local ones (they need an interface name, which means nothing on another
 * host); loopback only when there is nothing else.
 */
final class LanAddresses {
    /** IPv4 addresses at most, so a host with many interfaces leaves room in a link for better hints. */
    static final int MAX_IPV4 = 4;
    /** IPv6 addresses at most: a host often has a stable and a temporary one per prefix. */
    static final int MAX_IPV6 = 2;

    private LanAddresses() {}

    /** The addresses a node bound to {@code bindHost} can be dialled at from its network. */
    static List<InetAddress> of(InetAddress bindHost) {
        if (!bindHost.isAnyLocalAddress()) {
            return List.of(bindHost);
        }
        List<InetAddress> mine = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    mine.addAll(Collections.list(nic.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            // no interface list: loopback below
        }
        List<InetAddress> out = pick(mine, bindHost instanceof Inet6Address);
        return out.isEmpty() ? List.of(InetAddress.getLoopbackAddress()) : out;
    }

    /**
     * Of an interface's {@code addresses}, those worth a link: IPv4 ones, then, with {@code dualStack},
     * IPv6 ones (global or unique local), within {@link #MAX_IPV4} and {@link #MAX_IPV6}.
     */
    static List<InetAddress> pick(List<InetAddress> addresses, boolean dualStack) {
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (a.isLinkLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress() || a.isAnyLocalAddress()) {
                continue;
            }
            if (a instanceof Inet4Address && v4.size() < MAX_IPV4) {
                v4.add(a);
            } else if (a instanceof Inet6Address && dualStack && v6.size() < MAX_IPV6 && !((Inet6Address) a).isIPv4CompatibleAddress()) {
                v6.add(withoutScope(a));
            }
        }
        v4.addAll(v6);
        return v4;
    }

    /** The address without "%eth0": a scope names an interface of this host, which the link's reader does not have. */
    private static InetAddress withoutScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            return a; // 16 bytes are always a valid address
        }
    }
}
