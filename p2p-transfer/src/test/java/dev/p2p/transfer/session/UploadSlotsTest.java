package dev.p2p.transfer.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UploadSlotsTest {
    private static final long S = 1_000_000_000L;

    @Test
    void atMostFourPeersAreSentToAtOnce() {
        UploadSlots slots = new UploadSlots();
        for (int peer = 0; peer < UploadSlots.SLOTS; peer++) {
            assertTrue(slots.ask("p" + peer, 0));
        }
        assertFalse(slots.ask("p4", 0), "a fifth peer is refused as busy");
        assertTrue(slots.ask("p0", S), "a holder keeps sending within its term");
        assertEquals(UploadSlots.SLOTS, slots.held());
    }

    @Test
    void aHolderWhoseTermIsOverGivesItsSlotToAPeerWaiting() {
        UploadSlots slots = new UploadSlots();
        long later = UploadSlots.TERM_NANOS + 1;
        for (long t = 0; t < later; t += S) {
            for (int peer = 0; peer < UploadSlots.SLOTS; peer++) {
                assertTrue(slots.ask("p" + peer, t), "all four keep asking within their terms");
            }
        }
        assertFalse(slots.ask("waiting", later - S), "all slots are held");
        assertFalse(slots.ask("p0", later), "p0's term is over and a peer waits: p0 stops");
        assertTrue(slots.ask("waiting", later + S / 2), "the peer waiting gets the slot p0 left");
        assertFalse(slots.ask("p0", later + S), "p0 waits its turn now");
    }

    @Test
    void aHolderWithNobodyWaitingKeepsItsSlotPastItsTerm() {
        UploadSlots slots = new UploadSlots();
        assertTrue(slots.ask("p0", 0));
        for (long t = S; t < 3 * UploadSlots.TERM_NANOS; t += S) {
            assertTrue(slots.ask("p0", t));
        }
    }

    @Test
    void anIdleHolderOrOneThatLeftFreesItsSlot() {
        UploadSlots slots = new UploadSlots();
        for (int peer = 0; peer < UploadSlots.SLOTS; peer++) {
            assertTrue(slots.ask("p" + peer, 0));
        }
        assertFalse(slots.ask("late", S));
        slots.leave("p1");
        assertTrue(slots.ask("late", 2 * S), "the place p1 left");
        assertFalse(slots.ask("later", 2 * S));
        for (int peer : new int[] {2, 3}) {
            slots.ask("p" + peer, UploadSlots.IDLE_NANOS);
        }
        slots.ask("late", UploadSlots.IDLE_NANOS);
        assertTrue(slots.ask("later", UploadSlots.IDLE_NANOS + S), "p0 asked for nothing for too long");
    }
}
