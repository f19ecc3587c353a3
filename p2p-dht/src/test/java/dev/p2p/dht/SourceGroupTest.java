package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SourceGroupTest {
    static InetSocketAddress at(String ip) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), 24100);
    }

    @Test
    void anIpv6HostRotatingAddressesInItsSlash64CountsAsOneSource() throws Exception {
        assertEquals(SourceBuckets.keyOf(at("2001:db8:1:2::a")), SourceBuckets.keyOf(at("2001:db8:1:2:ffff:1234:5678:9abc")));
        assertNotEquals(SourceBuckets.keyOf(at("2001:db8:1:2::a")), SourceBuckets.keyOf(at("2001:db8:1:3::a")));
        assertEquals(InetAddress.getByName("2001:db8:1:2::"), SourceGroup.of(InetAddress.getByName("2001:db8:1:2::a")));
    }

    @Test
    void ipv4AddressesAndLoopbackStayAsTheyAre() throws Exception {
        assertNotEquals(SourceBuckets.keyOf(at("203.0.113.7")), SourceBuckets.keyOf(at("203.0.113.8")));
        assertNotEquals(SourceBuckets.keyOf(at("::1")), SourceBuckets.keyOf(new InetSocketAddress(InetAddress.getByName("::1"), 24101)),
                "nodes on one machine stay separate");
    }

    @Test
    void aFloodFromOneSlash64IsLimitedAsOneSource() throws Exception {
        SourceRateLimiter limiter = new SourceRateLimiter(10);
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            admitted += limiter.admit(at("2001:db8:1:2::" + Integer.toHexString(i + 1)), 0) ? 1 : 0;
        }
        assertEquals(20, admitted, "one burst for the whole /64, however many addresses it sends from");
        assertEquals(true, limiter.admit(at("2001:db8:9:9::1"), 0), "another network is not limited by it");
    }
}
