package dev.p2p.transfer.session;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which of a node's connected peers it sends chunks to now: at most {@link #SLOTS} at a time
 * (BitTorrent's unchoked peers), the others are refused as busy and ask again. An uplink shared by
 * every peer that asks gives each a trickle (1 MB/s over 64 peers is 16 KB/s, 16 s for one 256 KiB
 * chunk), so each chunk arrives late, after the downloader has asked another peer for it, and
 * half the uplink goes to duplicates; a few peers at a time get each chunk at a quarter of the
 * uplink. A slot is held for a term of {@link #TERM_NANOS}, then handed on when someone waits
 * (was refused within {@link #WAITING_NANOS}), so every peer that asks gets its turn; a holder
 * that asks for nothing for {@link #IDLE_NANOS} loses its slot to the next that asks.
 *
 * <p>Time is the caller's (monotonic nanoseconds); no clock, no thread. Not thread-safe.
 */
final class UploadSlots {
    /** Peers sent chunks at once. */
    static final int SLOTS = 4;
    /** How long a slot is held before it goes to a peer waiting for one. */
    static final long TERM_NANOS = 10_000_000_000L;
    /** A holder that asked for nothing this long gives its slot to the next peer that asks. */
    static final long IDLE_NANOS = 5_000_000_000L;
    /** Someone refused this recently still waits (a refused downloader asks again within 4 s). */
    static final long WAITING_NANOS = 5_000_000_000L;

    private static final class Held {
        final long termEnds;
        long lastAsked;

        Held(long termEnds, long lastAsked) {
            this.termEnds = termEnds;
            this.lastAsked = lastAsked;
        }
    }

    private final Map<Object, Held> holders = new LinkedHashMap<>();
    private boolean refusedAny;
    private long lastRefusal;

    /**
     * {@code who} wants to send a chunk at {@code now}: true when it holds a slot (taking a free one
     * if need be), false when it must refuse (it has none, or its term is over and others wait).
     */
    boolean ask(Object who, long now) {
        Held h = holders.get(who);
        boolean othersWait = refusedAny && now - lastRefusal < WAITING_NANOS;
        if (h != null) {
            if (now < h.termEnds || !othersWait) {
                h.lastAsked = now;
                return true;
            }
            holders.remove(who); // its turn is over: it waits like the others
        }
        freeIdle(now);
        if (holders.size() < SLOTS && (h == null || !othersWait)) {
            holders.put(who, new Held(now + TERM_NANOS, now));
            return true;
        }
        refusedAny = true;
        lastRefusal = now;
        return false;
    }

    /** {@code who} is gone (its connection closed): its slot is free. */
    void leave(Object who) {
        holders.remove(who);
    }

    /** Peers holding a slot now. */
    int held() {
        return holders.size();
    }

    private void freeIdle(long now) {
        for (Iterator<Held> it = holders.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastAsked >= IDLE_NANOS) {
                it.remove();
            }
        }
    }
}
