package dev.p2p.node;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * This host's own addresses, for links made before peers told the node where they see it: a
 * downloader on the same network dials one of them directly (docs/REACHABILITY.md, "A link is
 * enough"). IPv4 only, up interfaces only, loopback only when there is nothing else.
 */
final class LanAddresses {
    /** At most this many, so a host with many interfaces leaves room in a link for better hints. */
    static final int MAX = 4;

    private LanAddresses() {}

    /** The addresses a node bound to {@code bindHost} can be dialled at from its network. */
    static List<InetAddress> of(InetAddress bindHost) {
        if (!bindHost.isAnyLocalAddress()) {
            return List.of(bindHost);
        }
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress() && out.size() < MAX) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            // no interface list: loopback below
        }
        return out.isEmpty() ? List.of(InetAddress.getLoopbackAddress()) : out;
    }
}
