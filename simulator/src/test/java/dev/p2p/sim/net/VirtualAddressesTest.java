package dev.p2p.sim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class VirtualAddressesTest {
    @Test
    void everyHostNumberComesBackFromItsAddress() {
        for (int n : new int[] {1, 2, 255, 256, 257, 65_535, 65_536, 1_000_003, VirtualAddresses.MAX_HOSTS}) {
            assertEquals(n, VirtualAddresses.hostNumber(VirtualAddresses.of(n)), "host " + n);
        }
    }

    @Test
    void aPlainCopyOfAVirtualAddressIsEqualAndNamesTheSameHost() {
        for (int n : new int[] {1, 300, 70_000, VirtualAddresses.MAX_HOSTS}) {
            InetSocketAddress virtual = VirtualAddresses.of(n);
            // The DHT builds plain addresses too (from the wire, for providers): they must find the same host.
            InetSocketAddress plain = new InetSocketAddress(virtual.getAddress(), virtual.getPort());
            assertEquals(n, VirtualAddresses.hostNumber(plain), "host " + n);
            assertEquals(plain, virtual);
            assertEquals(virtual, plain);
            assertEquals(plain.hashCode(), virtual.hashCode());
            assertEquals(plain.toString(), virtual.toString());
        }
    }

    @Test
    void consecutiveHostsSitInDifferentSlash24s() {
        assertEquals("10.1.0.0", VirtualAddresses.of(1).getAddress().getHostAddress());
        assertEquals("10.2.0.0", VirtualAddresses.of(2).getAddress().getHostAddress());
        assertEquals("10.0.1.0", VirtualAddresses.of(256).getAddress().getHostAddress());
    }

    @Test
    void otherAddressesAreNotHosts() throws Exception {
        assertEquals(-1, VirtualAddresses.hostNumber(new InetSocketAddress(InetAddress.getByName("11.1.0.0"), VirtualAddresses.PORT)));
        assertEquals(-1, VirtualAddresses.hostNumber(new InetSocketAddress(InetAddress.getByName("10.1.0.0"), VirtualAddresses.PORT + 1)));
        assertEquals(-1, VirtualAddresses.hostNumber(new InetSocketAddress(InetAddress.getByName("::1"), VirtualAddresses.PORT)));
        assertEquals(-1, VirtualAddresses.hostNumber(InetSocketAddress.createUnresolved("example.org", VirtualAddresses.PORT)));
    }
}
