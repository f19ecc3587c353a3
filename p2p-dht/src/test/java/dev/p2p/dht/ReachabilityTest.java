package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReachabilityTest {
    static final InetAddress LAN = addr("10.78.1.2");
    static final InetSocketAddress AS_NAT = new InetSocketAddress(addr("10.77.101.1"), 24100);

    static InetAddress addr(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void unknownUntilToldThenPrivateBehindNatAndPublicWhenSeenAsItself() {
        Reachability r = new Reachability(Reachability.Mode.AUTO, List.of(LAN));
        assertEquals(Reachability.Status.UNKNOWN, r.status(0));
        r.onObserved(AS_NAT);
        assertEquals(Reachability.Status.PRIVATE, r.status(0));
        assertTrue(r.reason(0).startsWith("behind NAT: peers see 10.77.101.1"), r.reason(0));
        r.onObserved(new InetSocketAddress(LAN, 24100));
        assertEquals(Reachability.Status.PUBLIC, r.status(0));
    }

    @Test
    void anUnsolicitedRequestIsEvidenceForThirtyMinutes() {
        Reachability r = new Reachability(Reachability.Mode.AUTO, List.of(LAN));
        r.onObserved(AS_NAT);
        r.onUnsolicitedRequest(1_000);
        assertEquals(Reachability.Status.PUBLIC, r.status(1_000 + Reachability.EVIDENCE_TTL_MILLIS));
        assertEquals(Reachability.Status.PRIVATE, r.status(1_001 + Reachability.EVIDENCE_TTL_MILLIS));
    }

    @Test
    void aPortMappingTheRouterGrantedMakesTheNodePublicUntilItLapses() {
        Reachability r = new Reachability(Reachability.Mode.AUTO, List.of(LAN));
        r.onObserved(AS_NAT);
        r.onPortMapped(new InetSocketAddress(addr("11.77.1.1"), 24100));
        assertEquals(Reachability.Status.PUBLIC, r.status(0));
        assertEquals("reachable: the router forwards 11.77.1.1:24100 to us (port mapping)", r.reason(0));
        r.onPortMapped(null);
        assertEquals(Reachability.Status.PRIVATE, r.status(0));
        Reachability priv = new Reachability(Reachability.Mode.PRIVATE, List.of(LAN));
        priv.onPortMapped(new InetSocketAddress(addr("11.77.1.1"), 24100));
        assertEquals(Reachability.Status.PRIVATE, priv.status(0), "--reachability private wins over a mapping");
    }

    @Test
    void aMappingOnAPrivateAddressIsARouterBehindAnotherNatAndNoEvidence() {
        Reachability r = new Reachability(Reachability.Mode.AUTO, List.of(LAN));
        r.onObserved(AS_NAT);
        for (String inner : List.of("192.168.1.1", "10.0.0.1", "172.20.0.1", "100.64.3.4", "fd00::1")) {
            r.onPortMapped(new InetSocketAddress(addr(inner), 24100));
            assertEquals(Reachability.Status.PRIVATE, r.status(0), inner);
            assertTrue(r.reason(0).startsWith("behind two NATs: the router forwards " + addr(inner).getHostAddress()), r.reason(0));
        }
        r.onPortMapped(new InetSocketAddress(addr("100.128.0.1"), 24100));
        assertEquals(Reachability.Status.PUBLIC, r.status(0), "just outside the shared range");
    }

    @Test
    void theOperatorsChoiceWins() {
        Reachability pub = new Reachability(Reachability.Mode.PUBLIC, List.of(LAN));
        pub.onObserved(AS_NAT);
        assertEquals(Reachability.Status.PUBLIC, pub.status(0));
        Reachability priv = new Reachability(Reachability.Mode.PRIVATE, List.of(LAN));
        priv.onUnsolicitedRequest(0);
        assertEquals(Reachability.Status.PRIVATE, priv.status(0));
    }
}
