package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ContactRttsTest {
    private static final InetSocketAddress NEAR = new InetSocketAddress("192.0.2.1", 4000);
    private static final InetSocketAddress FAR = new InetSocketAddress("192.0.2.2", 4000);
    private static final InetSocketAddress NEW = new InetSocketAddress("192.0.2.3", 4000);

    @Test
    void eachContactFollowsRfc6298OnItsOwnSamples() {
        ContactRtts rtts = new ContactRtts(10, 10_000, 16);
        rtts.sample(FAR, 100);
        // First sample: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR.
        assertEquals(300, rtts.timeout(FAR));
        rtts.sample(FAR, 200);
        // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5.
        assertEquals(363, rtts.timeout(FAR));
        rtts.sample(NEAR, 20);
        assertEquals(60, rtts.timeout(NEAR), "the near contact's own figure, not the far one's");
        assertEquals(363, rtts.timeout(FAR), "one contact's sample leaves the other's estimate alone");
    }

    @Test
    void anUnmeasuredContactWaitsWhatAllContactsTogetherSay() {
        ContactRtts rtts = new ContactRtts(10, 10_000, 16);
        assertEquals(10_000, rtts.timeout(NEW), "nothing measured yet: the ceiling");
        rtts.sample(FAR, 100);
        rtts.sample(FAR, 200);
        rtts.sample(NEAR, 20);
        // Over all three samples: SRTT 100.9375, RTTVAR 70.
        assertEquals(381, rtts.timeout(NEW));
    }

    @Test
    void timeoutsStayWithinFloorAndCeiling() {
        ContactRtts rtts = new ContactRtts(250, 5_000, 16);
        rtts.sample(NEAR, 5);
        rtts.sample(FAR, 4_000);
        assertEquals(250, rtts.timeout(NEAR));
        assertEquals(5_000, rtts.timeout(FAR));
    }

    @Test
    void remembersOnlyTheMostRecentlyUsedContacts() {
        ContactRtts rtts = new ContactRtts(10, 10_000, 2);
        rtts.sample(NEAR, 20);
        rtts.sample(FAR, 100);
        rtts.timeout(NEAR); // used: FAR is now the least recently used
        rtts.sample(NEW, 50);
        assertTrue(rtts.knows(NEAR));
        assertFalse(rtts.knows(FAR));
        assertTrue(rtts.knows(NEW));
    }

    @Test
    void withNoRoomPerContactEveryContactWaitsTheSame() {
        ContactRtts rtts = new ContactRtts(10, 10_000, 0);
        rtts.sample(NEAR, 20);
        rtts.sample(FAR, 200);
        assertEquals(rtts.timeout(NEW), rtts.timeout(NEAR));
        assertEquals(rtts.timeout(NEW), rtts.timeout(FAR));
        assertFalse(rtts.knows(NEAR));
    }
}
