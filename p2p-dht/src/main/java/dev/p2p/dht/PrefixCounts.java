package dev.p2p.dht;

/**
 * How many routing-table contacts each IP prefix ({@link IpPrefix#packedOf}) has: an open-addressing
 * table of longs, probed linearly. It replaces a {@code HashMap<IpPrefix, Integer>}, which boxed
 * both and, worse, hashed badly: a packed IPv4 prefix's low bits are the address's third byte, so
 * when addresses share their first bytes (one provider's block, or the simulator's numbering) most
 * of a table fell into a few dozen bins. Keys are spread by a multiplicative hash instead.
 */
final class PrefixCounts {
    /** Never a packed prefix: those carry a family tag in their top byte. */
    private static final long EMPTY = 0;

    private long[] keys = new long[16];
    private int[] counts = new int[16];
    private int size;

    /** The count for {@code prefix}, 0 when absent. */
    int get(long prefix) {
        int mask = keys.length - 1;
        for (int i = slot(prefix, mask); keys[i] != EMPTY; i = (i + 1) & mask) {
            if (keys[i] == prefix) {
                return counts[i];
            }
        }
        return 0;
    }

    /** Adds {@code delta} to the count for {@code prefix}; a count that reaches 0 is removed. */
    void add(long prefix, int delta) {
        if (prefix == EMPTY) {
            throw new IllegalArgumentException("not a packed prefix");
        }
        int mask = keys.length - 1;
        int i = slot(prefix, mask);
        while (keys[i] != EMPTY && keys[i] != prefix) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            if (delta <= 0) {
                throw new IllegalStateException("count of an absent prefix would go below 0");
            }
            keys[i] = prefix;
            counts[i] = delta;
            if (++size * 2 > keys.length) {
                grow();
            }
            return;
        }
        counts[i] += delta;
        if (counts[i] < 0) {
            throw new IllegalStateException("count below 0");
        }
        if (counts[i] == 0) {
            removeAt(i);
        }
    }

    int size() {
        return size;
    }

    /** Empties slot {@code i}, then moves back later entries of its run that could no longer be found. */
    private void removeAt(int i) {
        int mask = keys.length - 1;
        size--;
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            // Entry j may fill the hole when its home is not in (hole, j], walking cyclically.
            boolean homeBetween = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeBetween) {
                keys[hole] = keys[j];
                counts[hole] = counts[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        counts[hole] = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = slot(oldKeys[j], mask);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                counts[i] = oldCounts[j];
            }
        }
    }

    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
