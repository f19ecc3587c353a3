package dev.p2p.sim.adversary;

import dev.p2p.dht.NodeId;
import java.util.Locale;

/**
 * The hostile part of a scenario (the {@code adversary.*} fields). Sybils take a share of the
 * peer slots and never churn; eclipse nodes come on top of the slots, with ids next to one key.
 *
 * @param share share of the peer slots run by the attacker (0 for none)
 * @param behaviour how the Sybils lie
 * @param samePrefix all adversaries' addresses are packed into as few IPv4 /24s as possible (254
 *     to a /24), which the DHT's per-prefix limits are meant to catch; otherwise each has its own
 * @param eclipseNodes nodes placed closest to the eclipse target (0 for no eclipse)
 * @param eclipseKey the eclipse target, or null to draw it from the seed; either way the workload
 *     publishes it first, from an honest peer, when the warm-up ends
 * @param eclipseProbesPerMinute lookups of the eclipse target (node and provider lookups each),
 *     network-wide, from random honest peers
 */
public record AdversaryConfig(
        double share,
        Behaviour behaviour,
        boolean samePrefix,
        int eclipseNodes,
        NodeId eclipseKey,
        double eclipseProbesPerMinute) {

    /** How a Sybil answers FIND_NODE and GET_PROVIDERS (all of them answer PING, to stay in tables). */
    public enum Behaviour {
        /** Never answers FIND_NODE or GET_PROVIDERS (nor ADD_PROVIDER). */
        DROP,
        /** Answers with the attacker's own nodes closest to the target, as if they were the closest. */
        WRONG_CONTACTS,
        /** Answers with the honest nodes it knows that are farthest from the target. */
        FAR_CONTACTS,
        /** Answers GET_PROVIDERS with provider records, validly signed by attacker keys, pointing at nothing. */
        FALSE_PROVIDERS,
        /** Each Sybil takes one of the four above, in turn. */
        MIXED;

        /** The name used in scenario files, e.g. {@code wrong-contacts}. */
        public String scenarioName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The behaviour named {@code name} in a scenario file, or null. */
        public static Behaviour byScenarioName(String name) {
            for (Behaviour b : values()) {
                if (b.scenarioName().equals(name)) {
                    return b;
                }
            }
            return null;
        }
    }

    public AdversaryConfig {
        if (!(share >= 0 && share < 1) || eclipseNodes < 0 || !(eclipseProbesPerMinute >= 0)) {
            throw new IllegalArgumentException("adversary share must be in [0, 1), counts and rates >= 0");
        }
    }

    public static AdversaryConfig none() {
        return new AdversaryConfig(0, Behaviour.MIXED, false, 0, null, 0);
    }

    public boolean enabled() {
        return share > 0 || eclipseNodes > 0;
    }

    /** Sybils among {@code peerSlots} slots. */
    public int sybils(int peerSlots) {
        return (int) Math.round(share * peerSlots);
    }
}
