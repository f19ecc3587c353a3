package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpPrefixTest {
    private static long of(String ip) throws Exception {
        return IpPrefix.packedOf(InetAddress.getByName(ip));
    }

    @Test
    void ipv4AddressesShareAPrefixExactlyWhenTheirFirst24BitsAgree() throws Exception {
        assertEquals(of("203.0.113.7"), of("203.0.113.250"));
        assertNotEquals(of("203.0.113.7"), of("203.0.114.7"));
        assertNotEquals(of("203.0.113.7"), of("204.0.113.7"));
        assertNotEquals(of("10.1.2.3"), of("11.1.2.3"));
        assertEquals(of("255.255.255.1"), of("255.255.255.2"), "high bytes are not sign-extended into another prefix");
    }

    @Test
    void ipv6AddressesShareAPrefixExactlyWhenTheirFirst48BitsAgree() throws Exception {
        assertEquals(of("2001:db8:1::1"), of("2001:db8:1:ffff::2"));
        assertNotEquals(of("2001:db8:1::1"), of("2001:db8:2::1"));
        assertNotEquals(of("0:cb:71::"), of("0.203.0.113"), "the families never collide");
    }
}
