package dev.p2p.sim.swarm;

/**
 * What stands between a whole peer and the Internet, as docs/REACHABILITY.md describes: nothing,
 * a NAT that keeps the local port (hole punching works), or a symmetric one (it does not).
 */
public enum Nat {
    NONE,
    PORT_KEEPING,
    SYMMETRIC;

    /** True when a hole can be punched between peers behind {@code a} and {@code b}. */
    static boolean punchable(Nat a, Nat b) {
        return a != SYMMETRIC && b != SYMMETRIC;
    }
}
