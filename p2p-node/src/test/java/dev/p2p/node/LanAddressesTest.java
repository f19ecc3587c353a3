package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of a host's addresses go into a link as LAN hints (docs/REACHABILITY.md, "A link is enough"). */
class LanAddressesTest {
    static List<InetAddress> addresses(String... names) throws UnknownHostException {
        List<InetAddress> out = new ArrayList<>();
        for (String n : names) {
            out.add(InetAddress.getByName(n));
        }
        return out;
    }

    @Test
    void aDualStackNodeNamesItsGlobalAndUniqueLocalIpv6AddressesAfterItsIpv4OnesButNoLinkLocalOne() throws Exception {
        List<InetAddress> host = addresses("fe80::1%1", "2001:db8::5", "169.254.3.4", "192.168.1.20", "fd77::3", "::1", "127.0.0.1",
                "2001:db8::6", "2001:db8::7");
        assertEquals(addresses("192.168.1.20", "2001:db8::5", "fd77::3"), LanAddresses.pick(host, true),
                "IPv4 first, then at most two IPv6 addresses");
        assertEquals(addresses("192.168.1.20"), LanAddresses.pick(host, false), "a node on IPv4 only names no IPv6 address");
    }

    @Test
    void aNodeBoundToOneAddressNamesThatOne() throws Exception {
        assertEquals(addresses("fd77::3"), LanAddresses.of(InetAddress.getByName("fd77::3")));
    }
}
