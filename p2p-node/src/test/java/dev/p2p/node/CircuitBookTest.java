package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.p2p.dht.NodeId;
import dev.p2p.node.policy.CircuitBook;
import dev.p2p.node.policy.CircuitBook.Carry;
import dev.p2p.node.policy.CircuitBook.Decision;
import dev.p2p.node.policy.RelayLimits;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A relay's circuit decisions in virtual time: who gets one, how long one waits, and how much one carries. */
class CircuitBookTest {
    final NodeId target = NodeId.random(new Random(1));
    final RelayLimits limits = new RelayLimits(2, 1_000_000, 60_000, 100_000, 10_000);
    final CircuitBook book = new CircuitBook(limits, new Random(2));

    int requesters;

    /** A circuit for a requester of its own (one may hold only one of these two). */
    byte[] grant(long now) {
        return ((Decision.Granted) book.request("r" + requesters++, target, true, now)).token();
    }

    @Test
    void circuitsBeyondTheMaximumUnknownTargetsAndARelayThatIsOffAreRefused() {
        assertEquals(new Decision.Refused(CircuitBook.Refusal.UNKNOWN_TARGET), book.request("a", target, false, 0));
        byte[] a = grant(0);
        grant(0);
        assertEquals(new Decision.Refused(CircuitBook.Refusal.FULL), book.request("a", target, true, 0), "waiting ones count");
        assertNull(book.arrive(a, 1));
        assertEquals(new Decision.Refused(CircuitBook.Refusal.FULL), book.request("a", target, true, 2));
        book.closed(a);
        assertInstanceOf(Decision.Granted.class, book.request("a", target, true, 3), "a closed circuit frees its place");
        assertEquals(new Decision.Refused(CircuitBook.Refusal.OFF), new CircuitBook(RelayLimits.OFF, new Random(3)).request("a", target, true, 0));
        assertEquals(3, book.counts()[2], "refusals counted");
    }

    @Test
    void oneRequesterHoldsAtMostHalfTheCircuitsSoOthersStillGetOne() {
        CircuitBook four = new CircuitBook(new RelayLimits(4, 1_000_000, 60_000, 100_000, 10_000), new Random(4));
        byte[] first = ((Decision.Granted) four.request("flooder", target, true, 0)).token();
        assertInstanceOf(Decision.Granted.class, four.request("flooder", target, true, 0));
        assertEquals(new Decision.Refused(CircuitBook.Refusal.REQUESTER_FULL), four.request("flooder", target, true, 0),
                "two of four for one requester");
        assertInstanceOf(Decision.Granted.class, four.request("neighbour", target, true, 0), "another requester gets one");
        assertNull(four.arrive(first, 1));
        assertEquals(new Decision.Refused(CircuitBook.Refusal.REQUESTER_FULL), four.request("flooder", target, true, 2),
                "open ones count as waiting ones do");
        four.closed(first);
        assertInstanceOf(Decision.Granted.class, four.request("flooder", target, true, 3), "a closed one frees its place");
        assertEquals(1, new RelayLimits(1, 1, 1, 1, 1).maxCircuitsPerRequester(), "a relay of one circuit gives it to anyone");
    }

    @Test
    void aTargetThatComesLateOrWithAnotherTokenOpensNothing() {
        byte[] a = grant(0);
        assertEquals(CircuitBook.Refusal.NO_SUCH_CIRCUIT, book.arrive(new byte[32], 1));
        assertEquals(CircuitBook.Refusal.NO_SUCH_CIRCUIT, book.arrive(a, 10_000), "its wait is over");
        assertInstanceOf(Decision.Granted.class, book.request("a", target, true, 10_001));
        assertInstanceOf(Decision.Granted.class, book.request("b", target, true, 10_001), "the late one's place is free again");
    }

    @Test
    void aCircuitIsPacedToItsRateAndEndedAtItsBytesOrItsTime() {
        byte[] a = grant(0);
        book.arrive(a, 0);
        assertEquals(new Carry.After(500), book.carried(a, 50_000, 0), "50 kB at 100 kB/s are due at 0.5 s");
        assertEquals(new Carry.After(0), book.carried(a, 50_000, 2_000), "late enough: no pause");
        assertInstanceOf(Carry.End.class, book.carried(a, 1_000_000, 20_000), "over its bytes");
        byte[] b = grant(0);
        book.arrive(b, 0);
        assertInstanceOf(Carry.End.class, book.carried(b, 1, 60_001), "over its time");
        assertEquals(1_100_001, book.counts()[3], "bytes relayed");
    }
}
