package dev.p2p.sim.net;

import dev.p2p.sim.engine.Simulation;

/**
 * Deals hosts into the engine's lanes so that datagrams between lanes are slow to arrive, which
 * sets how long the engine's windows are (its lookahead). Dealt by number alone, two hosts with
 * the fastest access links (1 ms each) could sit in different lanes, and windows would be 2 ms.
 * Instead the hosts whose access link is faster than a threshold all share lane 0 and the rest
 * are dealt by number into the other lanes: every datagram between lanes then has a slow end and
 * takes at least {@link #lookaheadMillis()}. The threshold puts about two in five hosts in lane 0,
 * which two threads still share evenly (one runs lane 0, the other most of the rest). The latency
 * model is not touched; only which events share a lane, and so the order of same-millisecond events.
 */
final class LaneDealer {
    /** About this share of hosts goes to lane 0. */
    private static final double FAST_SHARE = 0.4;

    private final long lookaheadMillis;
    /** Hosts with an access delay below this share lane 0; 0 when dealing by number gains nothing. */
    private final double fastBelowMillis;

    LaneDealer(double minAccessMillis, double meanExtraAccessMillis) {
        // The access delay below which FAST_SHARE of hosts fall (access = min + exponential extra).
        double fastShareBelow = minAccessMillis + meanExtraAccessMillis * Math.log(1 / (1 - FAST_SHARE));
        // Arrival times are rounded to the millisecond, so a delay of at least L - 0.5 arrives L or more later.
        long lookahead = Math.round(minAccessMillis + fastShareBelow);
        double threshold = lookahead - 0.5 - minAccessMillis;
        if (threshold <= minAccessMillis) {
            this.lookaheadMillis = Math.round(2 * minAccessMillis);
            this.fastBelowMillis = 0;
        } else {
            this.lookaheadMillis = lookahead;
            this.fastBelowMillis = threshold;
        }
    }

    /** No datagram between two lanes arrives sooner than this after it was sent. */
    long lookaheadMillis() {
        return lookaheadMillis;
    }

    /** The lane of a host numbered {@code number} whose access link delays {@code accessMillis}. */
    int laneOf(int number, double accessMillis) {
        if (fastBelowMillis == 0) {
            return Math.floorMod(number, Simulation.LANES);
        }
        return accessMillis < fastBelowMillis ? 0 : 1 + Math.floorMod(number, Simulation.LANES - 1);
    }
}
