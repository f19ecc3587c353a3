package dev.p2p.dht;

/**
 * The nodes a lookup has asked, by id and by address, so that no path asks one again and one host
 * cannot answer on several disjoint paths under different ids. Two small open-addressing tables
 * keyed by what each {@link Contact} already holds (its id's first word, its address's hash):
 * a lookup checks every candidate it considers, and a hash set hashed the id and walked into
 * the address, both cold, every time. The full id or address is compared only on a match.
 */
final class ClaimedNodes {
    private final Table ids = new Table();
    private final Table addresses = new Table();

    /** True when a node with {@code c}'s id, or any node at {@code c}'s address, was claimed. */
    boolean contains(Contact c) {
        return ids.contains(c.idWord(), c.id()) || addresses.contains(c.addressHash(), c.address());
    }

    void add(Contact c) {
        ids.add(c.idWord(), c.id());
        addresses.add(c.addressHash(), c.address());
    }

    /** A set of values, each found by a key that equal values share. */
    private static final class Table {
        private long[] keys = new long[64];
        private Object[] values = new Object[64];
        private int size;

        boolean contains(long key, Object value) {
            int mask = values.length - 1;
            for (int i = slot(key, mask); values[i] != null; i = (i + 1) & mask) {
                if (keys[i] == key && (values[i] == value || values[i].equals(value))) {
                    return true;
                }
            }
            return false;
        }

        void add(long key, Object value) {
            if (contains(key, value)) {
                return;
            }
            if (++size * 2 > values.length) {
                long[] oldKeys = keys;
                Object[] oldValues = values;
                keys = new long[oldKeys.length * 2];
                values = new Object[oldKeys.length * 2];
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldValues[i] != null) {
                        put(oldKeys[i], oldValues[i]);
                    }
                }
            }
            put(key, value);
        }

        private void put(long key, Object value) {
            int mask = values.length - 1;
            int i = slot(key, mask);
            while (values[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
        }

        /** Spreads the key: an id's bits may be chosen by an attacker, and an address's hash is not mixed. */
        private static int slot(long key, int mask) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        }
    }
}
