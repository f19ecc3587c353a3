package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderStoreTest {
    private static final NodeId KEY = NodeId.sha256(new byte[] {42});

    private static Provider provider(int n) {
        return new Provider(new byte[] {(byte) n, 1, 2, 3}, new InetSocketAddress("10.0.0." + n, 4000), new byte[64]);
    }

    @Test
    void fewRecordsComeBackNewestFirst() {
        ProviderStore store = new ProviderStore(100, 20);
        for (int i = 1; i <= 3; i++) {
            store.put(KEY, provider(i), 1_000);
        }
        assertEquals(List.of(provider(3).nodeId(), provider(2).nodeId(), provider(1).nodeId()),
                store.get(KEY, 8, 0).stream().map(Provider::nodeId).toList());
    }

    @Test
    void anOldProviderBehindACrowdOfNewerOnesIsNamedInTurn() {
        ProviderStore store = new ProviderStore(100, 20);
        store.put(KEY, provider(1), 1_000); // the publisher, announced first
        for (int i = 2; i <= 20; i++) {
            store.put(KEY, provider(i), 1_000); // downloaders announcing since
        }
        Set<NodeId> named = new HashSet<>();
        for (int ask = 0; ask < 4; ask++) {
            List<Provider> answer = store.get(KEY, 8, 0);
            assertEquals(8, answer.size());
            assertEquals(provider(20).nodeId(), answer.get(0).nodeId(), "the newest record leads every answer");
            answer.forEach(p -> named.add(p.nodeId()));
        }
        assertTrue(named.contains(provider(1).nodeId()), "the first provider is named within a few asks");
        assertEquals(20, named.size(), "four asks of eight name all twenty records");
    }

    @Test
    void expiredRecordsAreNeverNamed() {
        ProviderStore store = new ProviderStore(100, 20);
        for (int i = 1; i <= 12; i++) {
            store.put(KEY, provider(i), i <= 6 ? 500 : 1_000);
        }
        for (int ask = 0; ask < 3; ask++) {
            for (Provider p : store.get(KEY, 4, 600)) {
                assertTrue(p.address().getAddress().getAddress()[3] > 6, "expired: " + p.address());
            }
        }
    }

    @Test
    void aFullKeyDropsItsLeastRecentlyAnnouncedRecordForANewOne() {
        ProviderStore store = new ProviderStore(100, 4);
        for (int i = 1; i <= 4; i++) {
            store.put(KEY, provider(i), 1_000);
        }
        store.put(KEY, provider(1), 1_000); // provider 1 republishes: now 2 is the least recent
        assertTrue(store.put(KEY, provider(5), 1_000), "a newcomer to a full key is stored");
        Set<NodeId> held = new HashSet<>();
        store.get(KEY, 8, 0).forEach(p -> held.add(p.nodeId()));
        assertEquals(Set.of(provider(1).nodeId(), provider(3).nodeId(), provider(4).nodeId(), provider(5).nodeId()), held);
        assertEquals(4, store.size());
    }

    @Test
    void aStoreFullInAllRefusesRecordsOfNewKeys() {
        ProviderStore store = new ProviderStore(2, 4);
        store.put(KEY, provider(1), 1_000);
        store.put(KEY, provider(2), 1_000);
        assertFalse(store.put(NodeId.sha256(new byte[] {7}), provider(3), 1_000), "no other key's record is dropped for it");
        assertEquals(2, store.get(KEY, 8, 0).size());
    }
}
