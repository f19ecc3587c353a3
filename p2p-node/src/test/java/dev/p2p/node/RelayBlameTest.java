package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.NodeId;
import dev.p2p.node.policy.RelayBlame;
import dev.p2p.node.policy.RelayBlame.Failure;
import dev.p2p.node.policy.RelayBlame.Verdict;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whom a broken relayed connection is blamed on, in virtual time (docs/REACHABILITY.md). */
class RelayBlameTest {
    final Random random = new Random(1);
    final NodeId provider = NodeId.random(random);
    final NodeId r1 = NodeId.random(random);
    final NodeId r2 = NodeId.random(random);
    final RelayBlame blame = new RelayBlame();

    @Test
    void theFirstBrokenCircuitBansItsRelayForAnHourNotTheProvider() {
        assertEquals(new Verdict.RelayBanned(r1, Failure.TLS.reason), blame.failed(provider, r1, Failure.TLS, 0));
        assertTrue(blame.banned(r1, 1));
        assertFalse(blame.banned(r2, 1));
        assertFalse(blame.blamed(provider), "the provider is reached another way");
        assertEquals(Map.of(r1, Failure.TLS.reason), blame.bannedRelays(1));
        assertFalse(blame.banned(r1, RelayBlame.BAN_MILLIS), "the ban ends");
    }

    @Test
    void aProviderThatBreaksTwoPathsIsToBlameAndTheRelayBannedBecauseOfItIsLetOff() {
        blame.failed(provider, r1, Failure.STALL, 0);
        assertInstanceOf(Verdict.ProviderBlamed.class, blame.failed(provider, r2, Failure.STALL, 10));
        assertTrue(blame.blamed(provider));
        assertFalse(blame.banned(r1, 11), "r1 was not the one at fault");
        assertFalse(blame.banned(r2, 11));
    }

    @Test
    void aDirectConnectionThatBreaksTlsBlamesTheProvider() {
        assertInstanceOf(Verdict.ProviderBlamed.class, blame.failed(provider, null, Failure.TLS, 0));
        assertTrue(blame.blamed(provider));
    }

    @Test
    void aConnectionStallsOnlyAfterItsFarEndWasSilentForTheWholeStallTime() {
        assertFalse(RelayBlame.stalled(1_000, 1_000 + RelayBlame.STALL_MILLIS - 1));
        assertTrue(RelayBlame.stalled(1_000, 1_000 + RelayBlame.STALL_MILLIS));
    }
}
