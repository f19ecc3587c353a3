package dev.p2p.sim.net;

import dev.p2p.sim.engine.SplitMixRandom;

/**
 * A cut through the network from {@code startMillis} until it heals at {@code endMillis}: hosts
 * fall on side B with probability {@code fraction} (by a hash of the host number, so a host keeps
 * its side), and no datagram crosses between the sides while it is open.
 */
public record Partition(long startMillis, long endMillis, double fraction, long salt) {
    public Partition {
        if (endMillis <= startMillis) {
            throw new IllegalArgumentException("a partition must end after it starts");
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("partition fraction must be in (0, 1), got " + fraction);
        }
    }

    public boolean isOpenAt(long nowMillis) {
        return nowMillis >= startMillis && nowMillis < endMillis;
    }

    /** True when the host numbered {@code hostNumber} is on side B of this cut. */
    public boolean onSideB(int hostNumber) {
        return (SplitMixRandom.mix(salt + hostNumber) >>> 11) * 0x1.0p-53 < fraction;
    }

    public boolean separates(int hostA, int hostB) {
        return onSideB(hostA) != onSideB(hostB);
    }
}
