package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InFlightTableTest {
    @Test
    void agreesWithAMapThroughRandomPutsAndRemovals() {
        Random random = new Random(11);
        InFlightTable<String> table = new InFlightTable<>();
        Map<Integer, String> expected = new HashMap<>();
        // A small key space (negative keys too) keeps runs of occupied slots long, so removals must repair them.
        int[] keys = new int[400];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextBoolean() ? i * 1024 : -i * 7919;
        }
        for (int step = 0; step < 200_000; step++) {
            int k = keys[random.nextInt(keys.length)];
            String have = expected.get(k);
            if (have == null) {
                String v = "v" + step;
                table.putNew(k, v);
                expected.put(k, v);
            } else if (random.nextInt(4) == 0) {
                assertFalse(table.remove(k, "other"), "a different value is not removed");
            } else {
                assertTrue(table.remove(k, have));
                expected.remove(k);
            }
            if (step % 997 == 0) {
                for (int q : keys) {
                    assertSame(expected.get(q), table.get(q), "step " + step);
                    assertEquals(expected.containsKey(q), table.containsKey(q));
                }
                assertEquals(expected.size(), table.size());
                assertEquals(new HashSet<>(expected.values()), new HashSet<>(table.values()));
            }
        }
    }

    @Test
    void growsAndClears() {
        InFlightTable<Integer> table = new InFlightTable<>();
        for (int i = 0; i < 10_000; i++) {
            table.putNew(i * 31, i);
        }
        assertEquals(10_000, table.size());
        assertEquals(5_000, table.get(5_000 * 31));
        assertNull(table.get(-1));
        table.clear();
        assertEquals(0, table.size());
        assertNull(table.get(0));
        assertFalse(table.remove(0, 0));
    }

    @Test
    void refusesNullValues() {
        assertThrows(IllegalArgumentException.class, () -> new InFlightTable<String>().putNew(1, null));
    }
}
