package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.node.policy.ProviderRefresh;
import org.junit.jupiter.api.Test;

/** When a running download asks the DHT for providers again. */
class ProviderRefreshTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int MANY = ProviderRefresh.FEW_PEERS;

    @Test
    void asksThatFindNobodyNewWaitTwiceAsLongUpToFiveMinutesAndOneThatDoesStartOver() {
        ProviderRefresh r = new ProviderRefresh(0);
        assertFalse(r.due(5 * SECOND - 1, MANY));
        assertTrue(r.due(5 * SECOND, MANY));
        long at = 5 * SECOND;
        long wait = 5 * SECOND;
        for (int i = 0; i < 12; i++) {
            r.asked(at);
            r.answered(false);
            wait = Math.min(2 * wait, 300 * SECOND);
            assertFalse(r.due(at + wait - 1, MANY), "ask " + i);
            assertTrue(r.due(at + wait, MANY), "ask " + i);
            at += wait;
        }
        r.asked(at);
        r.answered(true);
        assertTrue(r.due(at + 5 * SECOND, MANY), "someone new: back to 5 s");
    }

    @Test
    void withFewPeersConnectedTheWaitIsAtMostTenSeconds() {
        ProviderRefresh r = new ProviderRefresh(0);
        for (int i = 0; i < 6; i++) {
            r.answered(false);
        }
        assertFalse(r.due(10 * SECOND - 1, MANY - 1));
        assertTrue(r.due(10 * SECOND, MANY - 1));
        assertFalse(r.due(10 * SECOND, MANY), "with enough peers the long wait holds");
        ProviderRefresh fresh = new ProviderRefresh(0);
        assertTrue(fresh.due(5 * SECOND, 0), "never longer than the wait it would have anyway");
    }
}
