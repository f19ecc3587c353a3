package dev.p2p.sim.net;

/** A stream of bytes through one uplink and one downlink, at the rate the allocation gives it. */
class Flow {
    final Link up;
    final Link down;
    /** Bytes per millisecond; infinite when both links are unlimited; 0 before the first allocation. */
    double rate;

    // the allocator's scratch state
    int index = -1;
    long memberOf = -1;
    long checkedIn = -1;
    boolean frozen;
    double newRate;

    Flow(Link up, Link down) {
        this.up = up;
        this.down = down;
    }

    /** The allocation gives this flow a new rate from now on. */
    void setRate(double bytesPerMilli) {
        rate = bytesPerMilli;
    }
}
