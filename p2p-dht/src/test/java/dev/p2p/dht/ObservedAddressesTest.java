package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ObservedAddressesTest {
    private static InetSocketAddress address(int i) throws Exception {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 51, (byte) (i >> 8), (byte) i}), 4000 + i);
    }

    @Test
    void theAddressMostVotersSeeWinsAndEachVoterCountsOnceWithItsLatestVote() throws Exception {
        ObservedAddresses observed = new ObservedAddresses();
        assertNull(observed.best());
        InetSocketAddress a = address(1000);
        InetSocketAddress b = address(2000);
        observed.record(address(1), a);
        observed.record(address(2), b);
        observed.record(address(3), b);
        assertEquals(b, observed.best());
        // Voters 2 and 3 change their minds (new address objects, equal to the old): one vote each.
        observed.record(address(2), a);
        observed.record(address(3), a);
        observed.record(address(3), a);
        assertEquals(a, observed.best());
    }

    @Test
    void onlyTheLast32VotersCountAndAnActiveVoterStays() throws Exception {
        ObservedAddresses observed = new ObservedAddresses();
        InetSocketAddress old = address(1000);
        InetSocketAddress fresh = address(2000);
        InetSocketAddress steady = address(3000);
        for (int i = 0; i < 20; i++) {
            observed.record(address(i), old);
        }
        observed.record(address(500), steady);
        for (int i = 100; i < 131; i++) {
            observed.record(address(i), fresh);
            observed.record(address(500), steady); // heard again and again: never the least recent
        }
        // The 20 early voters have been pushed out by 31 newer ones; voter 500 is still there.
        assertEquals(fresh, observed.best());
        for (int i = 200; i < 240; i++) {
            observed.record(address(i), steady);
        }
        assertEquals(steady, observed.best());
    }
}
