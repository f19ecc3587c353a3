package dev.p2p.sim.churn;

/**
 * How peers come and go.
 *
 * @param session how long a peer stays online; null for no churn (peers stay for the whole run)
 * @param downtime how long a peer stays away before it comes back
 * @param crashFraction share of departures that are silent crashes; the rest leave gracefully
 * @param rejoinSameIdentity share of returns with the old identity, routing table and content;
 *     the rest come back as a new peer (new key pair, new address)
 */
public record ChurnConfig(Distribution session, Distribution downtime, double crashFraction, double rejoinSameIdentity) {
    public ChurnConfig {
        if (session != null && downtime == null) {
            throw new IllegalArgumentException("churn with sessions needs a downtime distribution");
        }
        requireShare(crashFraction, "crashFraction");
        requireShare(rejoinSameIdentity, "rejoinSameIdentity");
    }

    public static ChurnConfig none() {
        return new ChurnConfig(null, null, 0, 1);
    }

    public boolean enabled() {
        return session != null;
    }

    private static void requireShare(double v, String name) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
    }
}
