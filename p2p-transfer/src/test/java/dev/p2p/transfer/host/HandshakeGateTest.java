package dev.p2p.transfer.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class HandshakeGateTest {
    @Test
    void halfOpenConnectionsAreCountedPerIpv6Slash64NotPerAddress() throws Exception {
        HandshakeGate gate = new HandshakeGate(2);
        assertTrue(gate.enter(InetAddress.getByName("2001:db8:1:2::a")));
        assertTrue(gate.enter(InetAddress.getByName("2001:db8:1:2::b")));
        assertFalse(gate.enter(InetAddress.getByName("2001:db8:1:2::c")), "a third address of the same /64 is the same host");
        assertTrue(gate.enter(InetAddress.getByName("2001:db8:1:3::a")), "another /64 has its own allowance");
        gate.leave(InetAddress.getByName("2001:db8:1:2::a"));
        assertTrue(gate.enter(InetAddress.getByName("2001:db8:1:2::c")), "a place freed in the /64 is taken again");
    }
}
