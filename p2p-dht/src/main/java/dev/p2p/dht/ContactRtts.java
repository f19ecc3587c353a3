package dev.p2p.dht;

import java.net.InetSocketAddress;

/**
 * Round-trip estimates per contact address, each by RFC 6298, beside one over all contacts. A
 * request to an address measured before waits that address's own timeout: a near peer's loss is
 * noticed sooner, and a far peer is not given up on while its answer is still on its way. An
 * address not measured yet waits what the node-wide estimate says. The most recently used
 * {@code maxContacts} addresses are remembered (a node talks to a few hundred at a time).
 */
final class ContactRtts {
    private final long minMillis;
    private final long maxMillis;
    private final RttEstimator overall;
    private final LruMap<InetSocketAddress, RttEstimator> byAddress;
    private final boolean perContact;

    /**
     * @param minMillis   floor of every timeout
     * @param maxMillis   ceiling of every timeout, and the timeout before anything was measured
     * @param maxContacts addresses remembered; 0 gives every address the node-wide estimate
     */
    ContactRtts(long minMillis, long maxMillis, int maxContacts) {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.overall = new RttEstimator(minMillis, maxMillis);
        this.byAddress = new LruMap<>(Math.max(1, maxContacts));
        this.perContact = maxContacts > 0;
    }

    /** An answer from {@code from} came {@code rttMillis} after the request went out. */
    void sample(InetSocketAddress from, long rttMillis) {
        overall.sample(rttMillis);
        if (perContact) {
            RttEstimator e = byAddress.get(from);
            if (e == null) {
                e = new RttEstimator(minMillis, maxMillis);
                byAddress.put(from, e);
            }
            e.sample(rttMillis);
        }
    }

    /** Milliseconds to wait for an answer from {@code to} before a request counts as lost. */
    long timeout(InetSocketAddress to) {
        RttEstimator e = perContact ? byAddress.get(to) : null;
        return e != null ? e.timeout() : overall.timeout();
    }

    /**
     * Milliseconds within which an answer from {@code to} is expected: the smoothed round trip
     * plus twice its variation (half the margin of the timeout), from the contact's own figures
     * when measured, else from all contacts'.
     */
    long expected(InetSocketAddress to) {
        RttEstimator e = perContact ? byAddress.get(to) : null;
        return (e != null ? e : overall).expected();
    }

    /** True when answers from {@code to} were measured (and are still remembered). */
    boolean knows(InetSocketAddress to) {
        return perContact && byAddress.containsKey(to);
    }

    long ceilingMillis() {
        return maxMillis;
    }
}
