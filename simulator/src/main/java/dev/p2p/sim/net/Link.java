package dev.p2p.sim.net;

import java.util.ArrayList;
import java.util.List;

/** One direction of a host's access: its uplink or its downlink, and the flows through it now. */
final class Link {
    /** Bytes per millisecond; infinite when unlimited. */
    final double capacity;
    /** The flows through this link, in the order they started. */
    final List<Flow> flows = new ArrayList<>();
    /** The set of flows through this link changed since the last allocation. */
    boolean dirty;

    // one allocation's scratch state: which pass last saw this link, and what it knew then
    long solvedIn = -1;
    double left;
    int unfrozen;
    long measuredIn = -1;
    double sum;
    double max;

    Link(double capacity) {
        this.capacity = capacity;
    }

    boolean isLimited() {
        return capacity != Double.POSITIVE_INFINITY;
    }
}
