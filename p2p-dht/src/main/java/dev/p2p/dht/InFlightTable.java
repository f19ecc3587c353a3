package dev.p2p.dht;

import java.util.ArrayList;
import java.util.List;

/**
 * Values by int key (requests in flight by transaction id): an open-addressing table, probed
 * linearly, with the keys in their own array. Every answer looks its request up and removes it,
 * and a {@code HashMap<Integer, ?>} read a bin, a node and a boxed key, all cold, to get there;
 * here a miss reads one array and a hit two. Keys may be any int (transaction ids are random),
 * so a slot is empty when its value is null, not by a reserved key.
 */
final class InFlightTable<V> {
    private int[] keys = new int[16];
    private Object[] values = new Object[16];
    private int size;

    int size() {
        return size;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    V get(int key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    boolean containsKey(int key) {
        return get(key) != null;
    }

    /** Adds {@code value} (not null) for {@code key}, which must not be present. */
    void putNew(int key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        place(key, value);
        size++;
    }

    /** Removes {@code key}'s entry if its value is {@code value} (by identity); true when removed. */
    boolean remove(int key, V value) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                if (values[i] != value) {
                    return false;
                }
                deleteAt(i, mask);
                size--;
                return true;
            }
        }
        return false;
    }

    /** The values, in no particular order. */
    @SuppressWarnings("unchecked")
    List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (Object v : values) {
            if (v != null) {
                out.add((V) v);
            }
        }
        return out;
    }

    void clear() {
        keys = new int[16];
        values = new Object[16];
        size = 0;
    }

    /** Empties slot {@code i} and moves later entries of its run back, so every key stays reachable. */
    private void deleteAt(int i, int mask) {
        int hole = i;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            // j's entry may fill the hole unless its home lies cyclically in (hole, j].
            boolean homeAfterHole = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeAfterHole) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
    }

    private void grow() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                place(oldKeys[i], oldValues[i]);
            }
        }
    }

    private void place(int key, Object value) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** Spreads the key: a peer may choose the ids it answers with, though only ours are ever stored. */
    private static int slot(int key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
