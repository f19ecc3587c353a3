package dev.p2p.dht;

/**
 * Request timeout from measured round trips, as TCP does (RFC 6298): smoothed RTT plus four
 * times its variation, clamped to the configured floor and ceiling.
 */
final class RttEstimator {
    private final long min;
    private final long max;
    private double srtt = -1;
    private double rttvar;

    RttEstimator(long minMillis, long maxMillis) {
        this.min = minMillis;
        this.max = maxMillis;
    }

    void sample(long rttMillis) {
        if (srtt < 0) {
            srtt = rttMillis;
            rttvar = rttMillis / 2.0;
        } else {
            rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - rttMillis);
            srtt = 0.875 * srtt + 0.125 * rttMillis;
        }
    }

    /**
     * Milliseconds by which an answer usually comes: smoothed RTT plus twice its variation,
     * within the floor and ceiling; the ceiling before anything was measured.
     */
    long expected() {
        if (srtt < 0) {
            return max;
        }
        return Math.max(min, Math.min(max, Math.round(srtt + 2 * rttvar)));
    }

    /** Milliseconds to wait for an answer before a request counts as lost. */
    long timeout() {
        if (srtt < 0) {
            return max;
        }
        return Math.max(min, Math.min(max, Math.round(srtt + 4 * rttvar)));
    }
}
