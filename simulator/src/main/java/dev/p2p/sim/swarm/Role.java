package dev.p2p.sim.swarm;

/** How a whole peer's user behaves. */
public enum Role {
    /** Downloads, and seeds for the scenario's seed time. */
    HONEST,
    /** Downloads, never uploads: serves nothing and announces nothing. */
    FREE_RIDER,
    /** Downloads, then serves every chunk corrupt (a wrong token), as a liar would. */
    CORRUPT
}
