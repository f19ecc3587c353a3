package dev.p2p.sim.net;

import java.util.Arrays;

/**
 * A binary min-heap of (share, link) in parallel arrays, equal shares in the order added:
 * progressive filling's queue without an object per entry.
 */
final class ShareHeap {
    private double[] shares = new double[64];
    private long[] order = new long[64];
    private Link[] links = new Link[64];
    private int size;
    private long added;

    void clear() {
        Arrays.fill(links, 0, size, null);
        size = 0;
        added = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    double topShare() {
        return shares[0];
    }

    Link topLink() {
        return links[0];
    }

    void add(double share, Link link) {
        if (size == shares.length) {
            int n = 2 * size;
            shares = Arrays.copyOf(shares, n);
            order = Arrays.copyOf(order, n);
            links = Arrays.copyOf(links, n);
        }
        int i = size++;
        long o = added++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(share, o, shares[parent], order[parent])) {
                break;
            }
            put(i, shares[parent], order[parent], links[parent]);
            i = parent;
        }
        put(i, share, o, link);
    }

    void removeTop() {
        int last = --size;
        double share = shares[last];
        long o = order[last];
        Link link = links[last];
        links[last] = null;
        if (last == 0) {
            return;
        }
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= last) {
                break;
            }
            if (child + 1 < last && less(shares[child + 1], order[child + 1], shares[child], order[child])) {
                child++;
            }
            if (!less(shares[child], order[child], share, o)) {
                break;
            }
            put(i, shares[child], order[child], links[child]);
            i = child;
        }
        put(i, share, o, link);
    }

    /** True when share {@code a}, added as {@code ao}, comes before {@code b}, added as {@code bo}. */
    private static boolean less(double a, long ao, double b, long bo) {
        return a < b || a == b && ao < bo;
    }

    private void put(int i, double share, long o, Link link) {
        shares[i] = share;
        order[i] = o;
        links[i] = link;
    }
}
