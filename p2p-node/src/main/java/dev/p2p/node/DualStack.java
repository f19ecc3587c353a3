package dev.p2p.node;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;

/**
 * Listening on IPv4 and IPv6 at once: one socket bound to the IPv6 wildcard {@code ::} also takes
 * IPv4 traffic (as IPv4-mapped addresses, which Java hands over as plain IPv4 ones). A host whose
 * kernel or JVM has no IPv6 cannot open such a socket; the node then listens on IPv4 only.
 */
final class DualStack {
    static final InetAddress ANY_IPV6 = address(new byte[16]);
    static final InetAddress ANY_IPV4 = address(new byte[4]);

    private DualStack() {}

    /** Whether {@code bind} asks for both families: the IPv6 wildcard. */
    static boolean wanted(InetAddress bind) {
        return bind instanceof Inet6Address && bind.isAnyLocalAddress();
    }

    /** Why this host cannot listen on IPv6, or null when it can (a socket bound to {@code [::]:0} works). */
    static String ipv6Problem() {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress(ANY_IPV6, 0));
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static InetAddress address(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
