package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The datagrams that arrived in the last window of time, oldest first: whom from and when, in a
 * ring that grows as needed. {@link SourceRateLimiter} keeps it while no source needs a bucket of
 * its own; its rule bounds what the window holds (under two bursts), so it stays small.
 */
final class RecentArrivals {
    private InetSocketAddress[] from = new InetSocketAddress[8];
    private long[] at = new long[8];
    private int head;
    private int size;

    /** Records a datagram from {@code source} at {@code now}, forgetting those at or before {@code now - window}. */
    void add(InetSocketAddress source, long now, long window) {
        forgetUpTo(now - window);
        if (size == from.length) {
            grow();
        }
        int i = (head + size) & (from.length - 1);
        from[i] = source;
        at[i] = now;
        size++;
    }

    /** Forgets the datagrams that arrived at or before {@code time}. */
    void forgetUpTo(long time) {
        int mask = from.length - 1;
        while (size > 0 && at[head] <= time) {
            from[head] = null;
            head = (head + 1) & mask;
            size--;
        }
    }

    int size() {
        return size;
    }

    /** The source of the {@code i}-th datagram held, the oldest being 0. */
    InetSocketAddress source(int i) {
        return from[(head + i) & (from.length - 1)];
    }

    void clear() {
        if (size > 0) {
            Arrays.fill(from, null);
            head = 0;
            size = 0;
        }
    }

    private void grow() {
        int n = from.length;
        InetSocketAddress[] moreFrom = new InetSocketAddress[2 * n];
        long[] moreAt = new long[2 * n];
        for (int k = 0; k < size; k++) {
            moreFrom[k] = from[(head + k) & (n - 1)];
            moreAt[k] = at[(head + k) & (n - 1)];
        }
        from = moreFrom;
        at = moreAt;
        head = 0;
    }
}
